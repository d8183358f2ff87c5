import AsyncHTTPClient

/// Turns the errors of the HTTP client and of NIO into `ModelDownloadError.network` with a readable reason.
enum NetworkFailure {
    /// `error` as a pull reports it: our own errors and cancellation as they are, anything else (the client's
    /// and the network's) as `.network`.
    static func mapped(_ error: any Error, url: String) -> any Error {
        if error is ModelDownloadError || error is CancellationError { return error }
        if Task.isCancelled { return CancellationError() }
        return ModelDownloadError.network(url: url, reason: reason(error))
    }

    /// A short reason for a client or network error.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? HTTPClientError else { return String(describing: error) }
        switch error {
        case .connectTimeout: return "connecting timed out"
        case .readTimeout: return "no data arrived for 60 seconds"
        case .remoteConnectionClosed: return "the server closed the connection"
        case .tlsHandshakeTimeout: return "the TLS handshake timed out"
        case .redirectLimitReached, .redirectCycleDetected: return "too many redirects"
        case .invalidURL, .emptyHost, .emptyScheme: return "the URL is not valid"
        default: return String(describing: error)
        }
    }
}

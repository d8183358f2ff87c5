import AsyncHTTPClient
import Glibc
import NIOCore
import NIOHTTP1

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
        switch error {
        case let error as IOError:
            String(cString: strerror(error.errnoCode))
        case HTTPParserError.invalidEOFState:
            "the server closed the connection before the end of the file"
        case let error as HTTPClientError:
            reason(error)
        default:
            String(describing: error)
        }
    }

    private static func reason(_ error: HTTPClientError) -> String {
        switch error {
        case .connectTimeout: "connecting timed out"
        case .readTimeout: "no data arrived for 60 seconds"
        case .remoteConnectionClosed: "the server closed the connection"
        case .tlsHandshakeTimeout: "the TLS handshake timed out"
        case .redirectLimitReached, .redirectCycleDetected: "too many redirects"
        case .invalidURL, .emptyHost, .emptyScheme: "the URL is not valid"
        default: String(describing: error)
        }
    }
}

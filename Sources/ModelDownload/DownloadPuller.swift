public import InferenceCore
import InferenceTypes

/// The server's `ModelPuller`: a `ModelDownloader` whose errors become `InferenceError.pullFailed` with the
/// status that fits them.
public struct DownloadPuller: ModelPuller {
    private let downloader: ModelDownloader

    /// Creates a puller around a downloader.
    public init(downloader: ModelDownloader = ModelDownloader()) {
        self.downloader = downloader
    }

    public func pull(
        _ reference: String, into directory: String, progress: @Sendable (PullProgress) async -> Void
    ) async throws -> String {
        do {
            return try await downloader.pull(reference, into: directory, progress: progress)
        } catch let error as ModelDownloadError {
            throw InferenceError.pullFailed(reason: error.description, status: error.httpStatus)
        }
    }
}

extension ModelDownloadError {
    /// The status a server answers this error with: 4xx when the request was at fault, 5xx otherwise.
    var httpStatus: Int {
        switch self {
        case .httpStatus(404, _): 404
        case .pullInProgress: 409
        case .sourceNotAllowed: 403
        case .notEnoughDiskSpace: 507
        default: isClientError ? 400 : 502
        }
    }
}

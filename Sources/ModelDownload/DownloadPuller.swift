public import InferenceCore
import InferenceTypes

/// The server's `ModelPuller`: a `ModelDownloader` whose errors become `InferenceError.pullFailed` with the
/// kind of failure that fits them; the dialects choose the status.
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
            throw InferenceError.pullFailed(reason: error.description, kind: error.pullFailure)
        }
    }
}

extension ModelDownloadError {
    /// The kind of pull failure this is to the core: the request's fault when repeating it cannot succeed, the
    /// remote side's or this machine's otherwise.
    var pullFailure: PullFailure {
        switch self {
        case .httpStatus(404, _): .notFound
        case .pullInProgress: .inProgress
        case .sourceNotAllowed: .sourceRefused
        case .notEnoughDiskSpace: .insufficientStorage
        default: isClientError ? .badReference : .remoteFailed
        }
    }
}

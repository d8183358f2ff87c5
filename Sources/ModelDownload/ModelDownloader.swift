import AsyncHTTPClient
import FoundationEssentials
public import InferenceCore
import InferenceTypes
public import Logging
import NIOCore

/// Downloads model files into a models directory, with Ollama's `/api/pull` semantics: progress in Ollama's
/// steps, downloads that resume, and files checked before they appear under their final name.
///
/// A file is written as `<directory>/.<name>.partial` (hidden, so the model registry skips it) and renamed to
/// `<directory>/<name>` once its size (the server's `Content-Length`, or the total of its `Content-Range`) and
/// its SHA-256 digest (when known) are right. A file whose check fails is deleted; one whose download fails
/// or is cancelled is kept, and the next pull of it resumes with a `Range` request.
///
/// `policy` decides where a pull may connect (each redirect is checked before it is followed), how large a
/// file may be and how much disk space must stay free; the first bytes must be those of a model file.
public struct ModelDownloader: Sendable {
    private let environment: [String: String]
    private let logger: Logger
    private let policy: PullPolicy

    /// A downloader that reads `ROCKCHIP_LLAMA_HF_ENDPOINT`, `HF_ENDPOINT` and `HF_TOKEN` from the process
    /// environment.
    public init(policy: PullPolicy = PullPolicy(), logger: Logger = Logger(label: "rockchip-llama.pull")) {
        self.init(environment: ProcessInfo.processInfo.environment, policy: policy, logger: logger)
    }

    /// A downloader that reads `ROCKCHIP_LLAMA_HF_ENDPOINT`, `HF_ENDPOINT` (the Hugging Face endpoint) and
    /// `HF_TOKEN` (sent as a bearer token to Hugging Face, for gated repositories) from `environment`.
    public init(
        environment: [String: String], policy: PullPolicy = PullPolicy(),
        logger: Logger = Logger(label: "rockchip-llama.pull")
    ) {
        self.environment = environment
        self.policy = policy
        self.logger = logger
    }

    /// Pulls the model file `reference` names (see `ModelReference`) into `directory`, which is created when
    /// missing, and returns the file's name in it.
    ///
    /// `progress` receives `pulling manifest`, then `pulling <digest or file name>` with `digest`, `total` and
    /// `completed` (at most every 100 ms and at the end), then `verifying sha256 digest`, `writing manifest` and
    /// `success`. A file already there with the server's size (and digest, when known) is not downloaded again.
    ///
    /// Throws `ModelDownloadError` (see its `isClientError`), or `CancellationError` when the task is cancelled.
    public func pull(
        _ reference: String, into directory: String, progress: @Sendable (PullProgress) async -> Void
    ) async throws -> String {
        let reference = try ModelReference(parsing: reference, environment: environment)
        await progress(PullProgress(status: "pulling manifest"))
        let destination = try ModelDestination(directory: directory, fileName: reference.fileName)
        let client = HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: Self.clientConfiguration,
            backgroundActivityLogger: logger)
        let session = PullSession(
            client: client, reference: reference, destination: destination,
            authorization: authorization(for: reference), policy: policy, logger: logger)
        do {
            try await session.run(progress: progress)
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw NetworkFailure.mapped(error, url: reference.url)
        }
        return reference.fileName
    }

    /// Redirects are not followed by the client but by `PullSession`, which checks each one against the policy
    /// first (Hugging Face answers with one to its CDN); a connection that cannot be made fails at once (instead
    /// of being retried until the connect timeout), and one idle for a minute fails.
    private static var clientConfiguration: HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(30), read: .seconds(60))
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .disabled
        return configuration
    }

    /// `Bearer <HF_TOKEN>` for Hugging Face references when the token is set. `PullSession` sends it only to
    /// the reference's own origin, never to a redirect's other host.
    private func authorization(for reference: ModelReference) -> String? {
        guard case .huggingFace = reference.source else { return nil }
        let token = [environment["HF_TOKEN"], environment["HUGGING_FACE_HUB_TOKEN"]].compactMap { $0 }
            .first { !$0.isEmpty }
        return token.map { "Bearer " + $0 }
    }
}

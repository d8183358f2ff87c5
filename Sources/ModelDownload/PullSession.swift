import AsyncHTTPClient
import Crypto
import InferenceCore
import InferenceTypes
import Logging
import NIOCore
import NIOHTTP1

/// One pull of one reference into one destination over one HTTP client: the decisions between resuming,
/// starting over, finding the file already there, and failing.
struct PullSession: Sendable {
    /// Where progress goes.
    typealias Report = @Sendable (PullProgress) async -> Void

    /// The client that sends the requests; it does not follow redirects itself.
    let client: HTTPClient
    /// What is pulled.
    let reference: ModelReference
    /// Where it goes.
    let destination: ModelDestination
    /// The `Authorization` header for Hugging Face (from `HF_TOKEN`), if any.
    let authorization: String?
    /// Where the pull may connect, how large the file may be, the disk space it leaves.
    let policy: PullPolicy
    /// Where decisions are logged.
    let logger: Logger

    /// Pulls the file, unless it is already there and complete.
    func run(progress: Report) async throws {
        if let size = try FileSystem.regularFileSize(at: destination.finalPath), size > 0,
            try await finalFileIsComplete(size: size, progress: progress)
        {
            return
        }
        try await download(progress: progress)
    }

    /// The digest the file must have: the reference's, else the one Hugging Face announces.
    func expectedSHA256(_ response: DownloadResponse) -> String? {
        if let digest = reference.expectedSHA256 { return digest }
        guard case .huggingFace = reference.source else { return nil }
        return response.announcedSHA256
    }

    /// The report of the download step, named after the digest (its first 12 hex digits, as Ollama does)
    /// or, without one, after the file.
    func downloadProgress(expected: String?, total: Int64?, completed: Int64) -> PullProgress {
        PullProgress(
            status: "pulling " + (expected.map { String($0.prefix(12)) } ?? destination.fileName),
            digest: expected.map { "sha256:" + $0 }, total: total, completed: completed)
    }

    /// Whether the final file, `size` bytes long, is the one the server has: same size, and same digest when
    /// one is known. Reports the remaining steps when it is.
    private func finalFileIsComplete(size: Int64, progress: Report) async throws -> Bool {
        let (_, response) = try await request(from: size)
        let remoteSize: Int64? =
            switch response.status {
            case 416, 206: response.contentRange?.total
            case 200: response.contentLength
            default: throw ModelDownloadError.httpStatus(response.status, url: reference.url)
            }
        guard remoteSize == size else {
            logger.info(
                "the model file differs from the server's; downloading it again",
                metadata: ["pull.file": "\(destination.finalPath)"])
            return false
        }
        let expected = expectedSHA256(response)
        if let expected {
            let actual = FileDigest.hex(of: try await FileDigest.hashing(fileAt: destination.finalPath))
            guard actual == expected else {
                logger.info(
                    "the model file's digest differs from the server's; downloading it again",
                    metadata: ["pull.file": "\(destination.finalPath)", "pull.sha256": "\(actual)"])
                return false
            }
        }
        await progress(downloadProgress(expected: expected, total: size, completed: size))
        await progress(PullProgress(status: "verifying sha256 digest"))
        await progress(PullProgress(status: "writing manifest"))
        await progress(PullProgress(status: "success"))
        return true
    }
}

import Foundation
import InferenceCore
import InferenceTypes
import Logging
import ModelDownload
import Synchronization
import Testing

@Suite("Pulling models over HTTP from 127.0.0.1")
struct PullTests {
    private let bytes = PullTests.fileBytes(count: 1_500_000)
    private var digest: String { TestFileServer.sha256(bytes) }

    @Test("a URL with its sha256 is downloaded byte for byte into the models directory, and nothing else is left")
    func pullFromURL() async throws {
        let server = TestFileServer(files: ["tiny.Q4_0.gguf": bytes])
        let digest = digest
        try await server.run { port in
            try await withModelsDirectory { directory in
                let name = try await Self.downloader(port: port).pull(
                    "http://127.0.0.1:\(port)/files/tiny.Q4_0.gguf#sha256=\(digest)", into: directory
                ) { _ in }
                #expect(name == "tiny.Q4_0.gguf")
                #expect(Self.contents(directory, name) == bytes)
                #expect(try Self.listing(directory) == [name])
            }
        }
    }

    @Test("an hf.co reference goes to ROCKCHIP_LLAMA_HF_ENDPOINT, follows its redirect and checks X-Linked-Etag")
    func pullFromHuggingFace() async throws {
        let server = TestFileServer(files: ["tiny.gguf": bytes])
        let digest = digest
        try await server.run { port in
            try await withModelsDirectory { directory in
                let progress = ProgressLog()
                let name = try await Self.downloader(port: port).pull(
                    "hf.co/owner/repo/tiny.gguf", into: directory, progress: progress.record)
                #expect(Self.contents(directory, name) == bytes)
                #expect(
                    progress.all.contains {
                        $0.digest == "sha256:" + digest && $0.status == "pulling " + digest.prefix(12)
                    })
                #expect(server.requests.map(\.path) == ["/owner/repo/resolve/main/tiny.gguf", "/files/tiny.gguf"])
                #expect(server.requests.map(\.status) == [302, 200])
            }
        }
    }

    @Test("a download cut off keeps its .partial file, and the next pull resumes it with a Range request")
    func interruptedDownloadResumes() async throws {
        let server = TestFileServer(files: ["tiny.gguf": bytes])
        let total = bytes.count
        try await server.run { port in
            try await withModelsDirectory { directory in
                server.cutNextResponse(after: 600_000)
                let downloader = Self.downloader(port: port)
                await #expect {
                    try await downloader.pull("owner/repo:tiny.gguf", into: directory) { _ in }
                } throws: { error in
                    guard case .network = error as? ModelDownloadError else { return false }
                    return true
                }
                #expect(try Self.listing(directory) == [".tiny.gguf.partial"])
                let kept = try Self.size(directory, ".tiny.gguf.partial")
                #expect(kept > 0 && kept < total)

                let name = try await downloader.pull("owner/repo:tiny.gguf", into: directory) { _ in }
                #expect(
                    server.fileRequests.last == .init(path: "/files/tiny.gguf", range: "bytes=\(kept)-", status: 206))
                #expect(Self.contents(directory, name) == bytes)
                #expect(try Self.listing(directory) == ["tiny.gguf"])
            }
        }
    }

    @Test("a file whose sha256 differs from the reference's or the announced one is deleted, not installed")
    func wrongChecksumIsRefused() async throws {
        let wrong = String(repeating: "0", count: 64)
        let server = TestFileServer(files: ["tiny.gguf": bytes], announcedDigest: wrong)
        let digest = digest
        try await server.run { port in
            try await withModelsDirectory { directory in
                for reference in ["http://127.0.0.1:\(port)/files/tiny.gguf#sha256=\(wrong)", "owner/repo:tiny.gguf"] {
                    await #expect {
                        try await Self.downloader(port: port).pull(reference, into: directory) { _ in }
                    } throws: { error in
                        guard let error = error as? ModelDownloadError, case .digestMismatch = error else {
                            return false
                        }
                        return error.description.contains("sha256:" + wrong)
                            && error.description.contains("sha256:" + digest)
                    }
                    let left = try Self.listing(directory)
                    #expect(left.isEmpty, "\(reference)")
                }
            }
        }
    }

    @Test("a missing file is a 404 error that says so, and a gated repository's 401 says it may be gated")
    func httpErrors() async throws {
        let server = TestFileServer(files: [:])
        try await server.run { port in
            try await withModelsDirectory { directory in
                let downloader = Self.downloader(port: port)
                await #expect {
                    try await downloader.pull("http://127.0.0.1:\(port)/files/missing.gguf", into: directory) { _ in }
                } throws: { error in
                    guard let error = error as? ModelDownloadError, case .httpStatus(404, _) = error else {
                        return false
                    }
                    return error.isClientError && error.description.contains("not found (HTTP 404)")
                }
                await #expect {
                    try await downloader.pull("gated/model:m.gguf", into: directory) { _ in }
                } throws: { error in
                    guard let error = error as? ModelDownloadError, case .httpStatus(401, _) = error else {
                        return false
                    }
                    return error.isClientError && error.description.contains("gated")
                }
                let left = try Self.listing(directory)
                #expect(left.isEmpty)
            }
        }
    }

    @Test("a name that would leave the models directory is refused before any request; a .partial link is not followed")
    func escapingNamesAreRefused() async throws {
        let server = TestFileServer(files: ["tiny.gguf": bytes])
        try await server.run { port in
            try await withModelsDirectory { root in
                let directory = root + "/models"
                let downloader = Self.downloader(port: port)
                await #expect(throws: ModelDownloadError.self) {
                    try await downloader.pull("http://127.0.0.1:\(port)/files/..%2Fescape.gguf", into: directory) { _ in
                    }
                }
                #expect(server.requests.isEmpty)
                #expect(try Self.listing(root).isEmpty)

                let outside = root + "/outside.bin"
                _ = FileManager.default.createFile(atPath: outside, contents: Data("keep".utf8))
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(
                    atPath: directory + "/.tiny.gguf.partial", withDestinationPath: outside)
                await #expect(throws: ModelDownloadError.self) {
                    try await downloader.pull("owner/repo:tiny.gguf", into: directory) { _ in }
                }
                #expect(FileManager.default.contents(atPath: outside) == Data("keep".utf8))
                #expect(!FileManager.default.fileExists(atPath: directory + "/tiny.gguf"))
            }
        }
    }

    @Test("a file already complete is verified and not downloaded again")
    func completeFileIsNotDownloadedAgain() async throws {
        let server = TestFileServer(files: ["tiny.gguf": bytes])
        let total = bytes.count
        try await server.run { port in
            try await withModelsDirectory { directory in
                let downloader = Self.downloader(port: port)
                _ = try await downloader.pull("hf.co/owner/repo/tiny.gguf", into: directory) { _ in }
                let before = server.fileRequests.count
                let progress = ProgressLog()
                _ = try await downloader.pull("hf.co/owner/repo/tiny.gguf", into: directory, progress: progress.record)
                #expect(
                    Array(server.fileRequests.dropFirst(before)) == [
                        .init(path: "/files/tiny.gguf", range: "bytes=\(total)-", status: 416)
                    ])
                #expect(progress.all.last?.status == "success")
                #expect(Self.contents(directory, "tiny.gguf") == bytes)
            }
        }
    }

    @Test("progress goes from pulling manifest to success in Ollama's order, completed growing to the total")
    func progressSequence() async throws {
        let large = Self.fileBytes(count: 3_000_000)
        let digest = TestFileServer.sha256(large)
        let server = TestFileServer(files: ["large.gguf": large])
        try await server.run { port in
            try await withModelsDirectory { directory in
                let progress = ProgressLog()
                _ = try await Self.downloader(port: port).pull(
                    "http://127.0.0.1:\(port)/files/large.gguf#sha256=\(digest)", into: directory,
                    progress: progress.record)
                let reports = progress.all
                let steps = reports.map(\.status).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
                #expect(
                    steps == [
                        "pulling manifest", "pulling " + digest.prefix(12), "verifying sha256 digest",
                        "writing manifest", "success",
                    ])
                let pulling = reports.filter { $0.status.hasPrefix("pulling ") && $0.status != "pulling manifest" }
                let completed = pulling.compactMap(\.completed)
                #expect(completed.count == pulling.count)
                #expect(zip(completed, completed.dropFirst()).allSatisfy { $0 <= $1 })
                #expect(pulling.allSatisfy { $0.total == Int64(large.count) && $0.digest == "sha256:" + digest })
                #expect(completed.last == Int64(large.count))
            }
        }
    }

    @Test("cancelling the pull stops it promptly and keeps the .partial file; a second pull of it meanwhile is refused")
    func cancellationKeepsPartialFile() async throws {
        let server = TestFileServer(files: ["tiny.gguf": bytes])
        try await server.run { port in
            try await withModelsDirectory { directory in
                server.stallNextResponse(after: 200_000)
                let downloader = Self.downloader(port: port)
                let progress = ProgressLog()
                let url = "http://127.0.0.1:\(port)/files/tiny.gguf"
                let pull = Task { try await downloader.pull(url, into: directory, progress: progress.record) }
                for _ in 0..<500 where !progress.all.contains(where: { ($0.completed ?? 0) >= 200_000 }) {
                    try await Task.sleep(for: .milliseconds(20))
                }
                await #expect {
                    try await downloader.pull(url, into: directory) { _ in }
                } throws: { error in
                    guard case .pullInProgress = error as? ModelDownloadError else { return false }
                    return true
                }
                let start = ContinuousClock.now
                pull.cancel()
                let result = await pull.result
                #expect(ContinuousClock.now - start < .seconds(5))
                #expect(throws: CancellationError.self) { try result.get() }
                #expect(try Self.size(directory, ".tiny.gguf.partial") >= 200_000)

                _ = try await downloader.pull(url, into: directory) { _ in }
                #expect(server.fileRequests.last?.status == 206)
                #expect(Self.contents(directory, "tiny.gguf") == bytes)
            }
        }
    }
}

extension PullTests {
    /// A downloader whose Hugging Face endpoint is the test server, with nothing else from the environment;
    /// its policy allows 127.0.0.1 (a loopback address, refused by default) unless another is given.
    static func downloader(port: Int, policy: PullPolicy? = nil) -> ModelDownloader {
        var logger = Logger(label: "pull-test")
        logger.logLevel = .critical
        return ModelDownloader(
            environment: ["ROCKCHIP_LLAMA_HF_ENDPOINT": "http://127.0.0.1:\(port)"],
            policy: policy ?? PullPolicy(allowed: [.addresses(IPRange("127.0.0.1")!)]), logger: logger)
    }

    /// A GGUF header, then bytes that differ from one run of a file to the next part, so that a misplaced
    /// range shows.
    static func fileBytes(count: Int) -> [UInt8] {
        var state: UInt32 = 2_463_534_242
        return TestFileServer.ggufHeader
            + (TestFileServer.ggufHeader.count..<max(count, TestFileServer.ggufHeader.count)).map { _ in
                state ^= state << 13
                state ^= state >> 17
                state ^= state << 5
                return UInt8(truncatingIfNeeded: state)
            }
    }

    static func contents(_ directory: String, _ name: String) -> [UInt8]? {
        FileManager.default.contents(atPath: directory + "/" + name).map { [UInt8]($0) }
    }

    static func size(_ directory: String, _ name: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: directory + "/" + name)
        return (attributes[.size] as? Int) ?? -1
    }

    static func listing(_ directory: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    }
}

/// Runs `body` with a new empty directory, removed afterwards.
func withModelsDirectory(_ body: (String) async throws -> Void) async throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("pull-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    try await body(path)
}

/// The progress reports of one pull, in order.
final class ProgressLog: Sendable {
    private let reports = Mutex<[PullProgress]>([])

    var all: [PullProgress] { reports.withLock { $0 } }

    @Sendable func record(_ progress: PullProgress) async {
        reports.withLock { $0.append(progress) }
    }
}

import Foundation
import InferenceCore
import InferenceTypes
import ModelDownload
import Synchronization
import Testing

/// Pulls that cannot be turned against the board: redirects only where the policy allows, sizes capped, disk
/// space checked, and only model files kept. Files come from test servers on 127.0.0.1.
@Suite("Pull limits")
struct PullLimitTests {
    private let bytes = PullTests.fileBytes(count: 1_500_000)

    /// A policy allowing `entries`, with the other settings given.
    private static func policy(
        _ entries: [String], maxBytes: Int64 = PullPolicy.defaultMaxBytes,
        freeSpace: any FreeSpaceSource =
            FileSystemFreeSpace(), diskMarginBytes: Int64 = 0, diskCheckIntervalBytes: Int64 = 256 << 20
    ) throws -> PullPolicy {
        var policy = try PullPolicy(allowing: entries, maxBytes: maxBytes)
        policy.freeSpace = freeSpace
        policy.diskMarginBytes = diskMarginBytes
        policy.diskCheckIntervalBytes = diskCheckIntervalBytes
        return policy
    }

    /// Whether `error` is a refusal of `host` that says how to allow it.
    private static func isRefusal(_ error: any Error, of host: String) -> Bool {
        guard let error = error as? ModelDownloadError, case .sourceNotAllowed = error else { return false }
        return error.isClientError && error.description.contains("--allow-pull-from \(host)")
    }

    @Test("a redirect to 127.0.0.1 on another port is refused unless 127.0.0.1 is allowed")
    func redirectToLoopbackNeedsAllowing() async throws {
        let files = TestFileServer(files: ["tiny.gguf": bytes])
        let redirects = TestFileServer(files: [:])
        try await files.run { filePort in
            try await redirects.run { redirectPort in
                try await withModelsDirectory { directory in
                    let target = "http://127.0.0.1:\(filePort)/files/tiny.gguf"
                    let url = "http://localhost:\(redirectPort)/go/tiny.gguf?to=\(target)"
                    let refusing = PullTests.downloader(port: 0, policy: try Self.policy(["localhost"]))
                    await #expect {
                        try await refusing.pull(url, into: directory) { _ in }
                    } throws: { Self.isRefusal($0, of: "127.0.0.1") }
                    #expect(files.requests.isEmpty)
                    let left = try PullTests.listing(directory)
                    #expect(left.isEmpty)

                    let allowing = PullTests.downloader(port: 0, policy: try Self.policy(["localhost", "127.0.0.1"]))
                    let name = try await allowing.pull(url, into: directory) { _ in }
                    #expect(PullTests.contents(directory, name) == bytes)
                }
            }
        }
    }

    @Test("a host name that resolves to a loopback address is refused unless it is listed")
    func nameResolvingToLoopbackIsRefused() async throws {
        let files = TestFileServer(files: ["tiny.gguf": bytes])
        try await files.run { port in
            try await withModelsDirectory { directory in
                let url = "http://localhost:\(port)/files/tiny.gguf"
                await #expect {
                    try await PullTests.downloader(port: port, policy: PullPolicy()).pull(url, into: directory) { _ in }
                } throws: { error in
                    Self.isRefusal(error, of: "localhost") && "\(error)".contains("loopback address")
                }
                #expect(files.requests.isEmpty)
            }
        }
    }

    @Test("a redirect to the cloud metadata address 169.254.169.254 is refused, naming it")
    func redirectToLinkLocalIsRefused() async throws {
        let redirects = TestFileServer(files: [:])
        try await redirects.run { port in
            try await withModelsDirectory { directory in
                let target = "http://169.254.169.254/latest/meta-data/model.gguf"
                let url = "http://127.0.0.1:\(port)/go/model.gguf?to=\(target)"
                let start = ContinuousClock.now
                await #expect {
                    try await PullTests.downloader(port: port).pull(url, into: directory) { _ in }
                } throws: { error in
                    Self.isRefusal(error, of: "169.254.169.254") && "\(error)".contains("link-local")
                        && "\(error)".contains("redirected")
                }
                #expect(ContinuousClock.now - start < .seconds(5))
                let left = try PullTests.listing(directory)
                #expect(left.isEmpty)
            }
        }
    }

    @Test("an announced Content-Length over the cap is refused before any byte is written")
    func oversizedAnnouncementIsRefused() async throws {
        let server = TestFileServer(files: [:])
        try await server.run { port in
            try await withModelsDirectory { directory in
                let url = "http://127.0.0.1:\(port)/huge/model.gguf"
                let start = ContinuousClock.now
                await #expect {
                    try await PullTests.downloader(port: port).pull(url, into: directory) { _ in }
                } throws: { error in
                    guard let error = error as? ModelDownloadError, case .tooLarge(_, let size, _, true) = error else {
                        return false
                    }
                    return size == 1_000_000_000_000_000 && error.description.contains("--max-pull-bytes")
                }
                #expect(ContinuousClock.now - start < .seconds(10))
                let left = try PullTests.listing(directory)
                #expect(left.isEmpty)
            }
        }
    }

    @Test("an endless chunked body is cut when it passes the cap, and no file is left")
    func endlessBodyIsCut() async throws {
        let server = TestFileServer(files: [:])
        try await server.run { port in
            try await withModelsDirectory { directory in
                let policy = try Self.policy(["127.0.0.1"], maxBytes: 3 << 20)
                await #expect {
                    try await PullTests.downloader(port: port, policy: policy).pull(
                        "http://127.0.0.1:\(port)/endless/model.gguf", into: directory
                    ) { _ in }
                } throws: { error in
                    guard case .tooLarge(_, _, 3 << 20, false) = error as? ModelDownloadError else { return false }
                    return true
                }
                let left = try PullTests.listing(directory)
                #expect(left.isEmpty)
            }
        }
    }

    @Test("a JSON answer saved under a .gguf name is refused, saying what the server sent, and nothing is kept")
    func jsonIsNotAModel() async throws {
        let server = TestFileServer(files: [:])
        try await server.run { port in
            try await withModelsDirectory { directory in
                await #expect {
                    try await PullTests.downloader(port: port).pull(
                        "http://127.0.0.1:\(port)/json/model.gguf", into: directory
                    ) { _ in }
                } throws: { error in
                    guard let error = error as? ModelDownloadError, case .notAModelFile = error else { return false }
                    return error.description.hasPrefix("the server at 127.0.0.1 sent JSON, not a GGUF model file")
                }
                let left = try PullTests.listing(directory)
                #expect(left.isEmpty)
            }
        }
    }

    @Test("with 5 MB free a 6 MB file is refused before it starts, and a body of unknown size stops near the end")
    func freeDiskIsChecked() async throws {
        let large = PullTests.fileBytes(count: 6_000_000)
        let server = TestFileServer(files: ["large.gguf": large])
        try await server.run { port in
            try await withModelsDirectory { directory in
                let space = FiveMegabytesFree(directory: directory)
                let policy = try Self.policy(["127.0.0.1"], freeSpace: space, diskCheckIntervalBytes: 1 << 20)
                let downloader = PullTests.downloader(port: port, policy: policy)
                await #expect {
                    try await downloader.pull("http://127.0.0.1:\(port)/files/large.gguf", into: directory) { _ in }
                } throws: { error in
                    guard let error = error as? ModelDownloadError, case .notEnoughDiskSpace(_, 6_000_000, _) = error
                    else { return false }
                    return error.description.contains("not enough disk space")
                }
                #expect(server.fileRequests.count == 1)
                let left = try PullTests.listing(directory)
                #expect(left.isEmpty)

                await #expect {
                    try await downloader.pull("http://127.0.0.1:\(port)/endless/model.gguf", into: directory) { _ in }
                } throws: { error in
                    guard case .notEnoughDiskSpace = error as? ModelDownloadError else { return false }
                    return true
                }
                // What arrived is kept for a resume once there is room; it never went past the free space.
                let kept = try PullTests.size(directory, ".model.gguf.partial")
                #expect(kept > 0 && kept <= 5_000_000)
            }
        }
    }
}

/// A file system with 5 MB free before the pull: the bytes already in the models directory are taken off.
private struct FiveMegabytesFree: FreeSpaceSource {
    let directory: String

    func availableBytes(in directory: String) throws -> Int64 {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: self.directory)) ?? []
        let used = names.reduce(Int64(0)) { total, name in
            let attributes = try? FileManager.default.attributesOfItem(atPath: self.directory + "/" + name)
            return total + Int64((attributes?[.size] as? Int) ?? 0)
        }
        return 5_000_000 - used
    }
}

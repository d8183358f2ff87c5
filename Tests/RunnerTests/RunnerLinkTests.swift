import EngineSupport
import Foundation
import Glibc
import InferenceTypes
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import Runner

/// The server's end of the runner link against a `RunnerHost` served in this process over a socket pair,
/// with a scripted engine: the whole protocol without a child process.
@Suite struct RunnerLinkTests {
    static let model = ModelDescriptor(
        id: "scripted", path: "/nonexistent/scripted.rkllm", format: .rkllm, sizeBytes: 1, modifiedAt: Date())
    static let options = RunnerEngineOptions(
        llamaLibraryPath: nil, rkllmLibraryPath: nil, rkllmABI: nil, contextLength: 64, threads: 1,
        microBatchSize: 8)

    static func socketPair() throws -> (server: Int32, runner: Int32) {
        var pair: [Int32] = [-1, -1]
        let made = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair)
        try #require(made == 0)
        return (pair[0], pair[1])
    }

    /// A runner host served in this process on one end of a socket pair, and the server's link on the other;
    /// `status` is the host's exit status once it ends.
    private static func startLink() async throws -> (
        process: RunnerProcess, engine: ScriptedEngine, status: Task<Int32, Never>
    ) {
        let (server, runner) = try socketPair()
        let engine = ScriptedEngine()
        let host = RunnerHost(descriptor: runner, logger: Logger(label: "runner-test"), exitsWithServer: false) { _ in
            [ScriptedLoader(engine: engine)]
        }
        let status = Task { await host.run() }
        let process = try await RunnerProcess.connect(
            descriptor: server, pid: nil, group: MultiThreadedEventLoopGroup.singleton)
        return (process, engine, status)
    }

    /// Runs `body` against a loaded runner link, then unloads it and checks the host ended cleanly.
    private func withLink(_ body: (RunnerProcess, ScriptedEngine) async throws -> Void) async throws {
        let (process, engine, status) = try await Self.startLink()
        var failure: (any Error)?
        do {
            let loaded = try await process.load(Self.model, options: Self.options)
            #expect(loaded.info.architecture == "scripted")
            #expect(loaded.slots == engine.slots, "the runner reports its engine's slots")
            try await body(process, engine)
        } catch {
            failure = error
        }
        await process.stop(timeout: 5)
        #expect(await status.value == 0)
        #expect(engine.unloadCount == 1)
        #expect(process.exitDescription == "exited")
        if let failure { throw failure }
    }

    private static func request(stall: Bool = false) -> EngineRequest {
        EngineRequest(input: .text("hi"), stop: stall ? ["stall"] : [])
    }

    @Test func aGenerationStreamsItsTextAndEndsWithDone() async throws {
        try await withLink { process, _ in
            var texts: [String] = []
            var finish: FinishReason?
            for try await event in process.generate(Self.request(), stop: CancellationFlag()) {
                switch event {
                case .text(let text): texts.append(text)
                case .done(let summary): finish = summary.finishReason
                default: break
                }
            }
            #expect(texts == ["Hel", "lo"])
            #expect(finish == .stop)
            #expect(try await process.tokenize("ab", addSpecial: false, parseSpecial: false) == [97, 98])
        }
    }

    @Test func aConsumerThatLeavesCancelsTheGenerationInTheRunnerAndTheLinkStaysUsable() async throws {
        try await withLink { process, engine in
            let consumer = Task {
                for try await _ in process.generate(Self.request(stall: true), stop: CancellationFlag()) {}
            }
            consumer.cancel()
            _ = await consumer.result
            var cancellations = engine.cancellations.makeAsyncIterator()
            #expect(await cancellations.next() != nil, "the runner's engine saw the cancel")
            var texts: [String] = []
            for try await case .text(let text) in process.generate(Self.request(), stop: CancellationFlag()) {
                texts.append(text)
            }
            #expect(texts == ["Hel", "lo"])
        }
    }

    @Test func aPromptCacheIsSavedByTheEngineInTheRunner() async throws {
        try await withLink { process, _ in
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("runner-cache-\(UUID()).bin").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            let saved = try await process.savePromptCache(of: .rendered("<s>system"), to: path)
            #expect(saved == SavedPromptCache(tokens: 9, bytes: 9))
            #expect(FileManager.default.contents(atPath: path) == Data("<s>system".utf8))
            await #expect(throws: InferenceError.invalidRequest("this model's engine cannot save prompt caches")) {
                try await process.savePromptCache(of: .rendered("refuse"), to: path)
            }
        }
    }

    @Test func unloadDuringAGenerationEndsIt() async throws {
        let (process, _, status) = try await Self.startLink()
        _ = try await process.load(Self.model, options: Self.options)
        let stalled = process.generate(Self.request(stall: true), stop: CancellationFlag())
        await process.stop(timeout: 5)
        #expect(await status.value == 0)
        await #expect(throws: InferenceError.self) {
            for try await _ in stalled {}
        }
        await #expect(throws: InferenceError.self) {
            for try await _ in process.generate(Self.request(), stop: CancellationFlag()) {}
        }
    }

    @Test func anUnloadInACancelledTaskStillWaitsForTheRunnerToExit() async throws {
        let (process, engine, status) = try await Self.startLink()
        _ = try await process.load(Self.model, options: Self.options)
        let shutdown = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await process.stop(timeout: 5)
            return process.exitDescription
        }
        #expect(await shutdown.value == "exited", "stop returned before the runner had exited")
        #expect(engine.unloadCount == 1)
        #expect(await status.value == 0)
    }
}

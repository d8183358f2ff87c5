import EngineSupport
import FoundationEssentials
import Glibc
import InferenceTypes
import NIOCore
import NIOPosix
import Testing

@testable import Runner

/// A hand-driven fake runner on the other end of the socket: what the server does when the runner misbehaves.
@Suite struct RunnerLinkDeathTests {
    /// Writes one frame holding `payload` on the fake runner's end.
    private func write(_ payload: [UInt8], to descriptor: Int32, length: UInt32? = nil) {
        let length = length ?? UInt32(payload.count)
        let frame = [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: length >> $0) } + payload
        _ = frame.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Runs blocking socket calls on a thread of their own, so that they never hold the cooperative pool.
    private func onThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            do {
                try DetachedThread.start { continuation.resume(returning: body()) }
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    /// Reads one frame the server sent, waiting at most 5 s; its payload.
    private static func readFrame(from descriptor: Int32) -> [UInt8]? {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func readExactly(_ count: Int) -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let read = bytes.withUnsafeMutableBytes {
                    Glibc.read(descriptor, $0.baseAddress! + filled, count - filled)
                }
                guard read > 0 else { return nil }
                filled += read
            }
            return bytes
        }
        guard let header = readExactly(4) else { return nil }
        return readExactly(header.reduce(0) { $0 << 8 | Int($1) })
    }

    private func loadedLink() async throws -> (RunnerProcess, runner: Int32) {
        let (server, runner) = try RunnerLinkTests.socketPair()
        let process = try await RunnerProcess.connect(
            descriptor: server, pid: nil, group: MultiThreadedEventLoopGroup.singleton)
        async let info = process.load(RunnerLinkTests.model, options: RunnerLinkTests.options)
        let command = try await onThread { Self.readFrame(from: runner) }.flatMap {
            RunnerJSON.decode(RunnerCommand.self, from: $0)
        }
        guard case .load(let model, let options)? = command else {
            throw RunnerError.unexpected("the first command was not a load")
        }
        #expect(model.id == "scripted")
        #expect(options == RunnerLinkTests.options, "the engine settings travel with the load")
        let reply = try RunnerJSON.encode(RunnerReply.loaded(ScriptedEngine().info, slots: 1))
        write(Array(reply), to: runner)
        #expect(try await info.info.architecture == "scripted")
        return (process, runner)
    }

    /// Reads the fake runner's end until the server closes its own; true when it did within the time.
    private static func serverClosed(_ descriptor: Int32) -> Bool {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return true }
            if count < 0 { return false }
        }
    }

    @Test(arguments: [UInt32(0xffff_ffff), UInt32(RunnerFrameDecoder.maxFrameBytes + 1)])
    func anOversizedFrameCutsTheRunnerOffAndFailsItsRequestsOnce(length: UInt32) async throws {
        let (process, runner) = try await loadedLink()
        defer { close(runner) }
        let generation = process.generate(EngineRequest(input: .text("hi")), stop: CancellationFlag())
        write([0x7b], to: runner, length: length)
        #expect(try await onThread { Self.serverClosed(runner) }, "the server closes its end")
        await #expect(throws: InferenceError.engineFailure("the model's runner process closed its socket")) {
            for try await _ in generation {}
        }
        #expect(!process.isAlive)
        await process.stop(timeout: 1)
    }

    @Test func aFrameThatIsNeitherTextNorAReplyCutsTheRunnerOff() async throws {
        let (process, runner) = try await loadedLink()
        defer { close(runner) }
        async let tokens = process.tokenize("a", addSpecial: false, parseSpecial: false)
        write(Array("not json".utf8), to: runner)
        #expect(try await onThread { Self.serverClosed(runner) })
        do {
            _ = try await tokens
            Issue.record("a request in flight must fail when the runner is cut off")
        } catch {
            #expect(error is InferenceError)
        }
        await process.stop(timeout: 1)
    }

    @Test func repliesForUnknownIDsAreDroppedAndTheRightOneStillArrives() async throws {
        let (process, runner) = try await loadedLink()
        defer { close(runner) }
        async let tokens = process.tokenize("a", addSpecial: false, parseSpecial: false)
        let command = try await onThread { Self.readFrame(from: runner) }.flatMap {
            RunnerJSON.decode(RunnerCommand.self, from: $0)
        }
        guard case .tokenize(let id, _, _, _)? = command else { throw RunnerError.unexpected("no tokenize") }
        #expect(id == 1, "the first request after the load")
        write(RunnerTextFrame.encode(id: 999, text: "stray"), to: runner)
        write(Array(try RunnerJSON.encode(RunnerReply.tokenized(id: 999, tokens: [0]))), to: runner)
        write(Array(try RunnerJSON.encode(RunnerReply.tokenized(id: 1, tokens: [42]))), to: runner)
        #expect(try await tokens == [42])
        #expect(process.isAlive)
        shutdown(runner, Int32(SHUT_RDWR))
        await process.stop(timeout: 1)
        #expect(process.exitDescription == "closed its socket")
    }
}

enum RunnerError: Error {
    case unexpected(String)
}

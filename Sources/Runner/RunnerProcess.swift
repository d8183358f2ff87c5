import Dispatch
import Glibc
import InferenceCore
import Synchronization

/// The server's side of one runner process: sends commands, and routes each reply to the request waiting
/// for it. A dedicated thread reads the socket; when the runner dies, every request in flight fails with
/// the reason and the process is reaped.
final class RunnerProcess: Sendable {
    private enum Waiter {
        case stream(AsyncThrowingStream<EngineEvent, any Error>.Continuation)
        case embedding(CheckedContinuation<EmbeddingResult, any Error>)
        case tokens(CheckedContinuation<[Int], any Error>)
        case text(CheckedContinuation<String, any Error>)

        func fail(_ error: any Error) {
            switch self {
            case .stream(let continuation): continuation.finish(throwing: error)
            case .embedding(let continuation): continuation.resume(throwing: error)
            case .tokens(let continuation): continuation.resume(throwing: error)
            case .text(let continuation): continuation.resume(throwing: error)
            }
        }
    }

    private struct State {
        var nextID: UInt64 = 1
        var waiters: [UInt64: Waiter] = [:]
        var load: CheckedContinuation<ModelInfo, any Error>?
        var unloaded = false
        var exit: String?
    }

    let pid: pid_t
    private let channel: FrameChannel
    private let state = Mutex(State())

    /// Spawns a runner and starts reading its replies.
    init(executable: String, environment: [String: String]) throws(InferenceError) {
        let (pid, descriptor) = try RunnerSpawn.spawn(
            executable: executable, arguments: ["--parent", "\(getpid())"], environment: environment)
        self.pid = pid
        self.channel = FrameChannel(descriptor: descriptor)
        do {
            try DetachedThread.start { [self] in readLoop() }
        } catch {
            Glibc.kill(pid, SIGKILL)
            waitpid(pid, nil, 0)
            throw error
        }
    }

    /// Why the runner ended, once it has.
    var exitDescription: String? { state.withLock { $0.exit } }

    /// Asks the runner to load the model and waits for its answer.
    func load(_ descriptor: ModelDescriptor) async throws -> ModelInfo {
        try await withCheckedThrowingContinuation { continuation in
            let early = state.withLock { state -> String? in
                if let exit = state.exit { return exit }
                state.load = continuation
                return nil
            }
            if let early {
                continuation.resume(throwing: InferenceError.modelLoadFailed(model: descriptor.id, reason: early))
                return
            }
            do {
                try channel.send(RunnerCommand.load(descriptor))
            } catch {
                if let waiting = state.withLock({ state in
                    defer { state.load = nil }; return state.load
                }) {
                    waiting.resume(throwing: error)
                }
            }
        }
    }

    /// Starts a generation in the runner; raising `stop` or cancelling the stream's consumer cancels it there,
    /// and `stop` ends the stream at once.
    func generate(_ request: EngineRequest, stop: CancellationFlag) -> AsyncThrowingStream<EngineEvent, any Error> {
        AsyncThrowingStream { continuation in
            guard let id = register(.stream(continuation)) else { return }
            continuation.onTermination = { [weak self] termination in
                guard let self else { return }
                let pending = state.withLock { $0.waiters.removeValue(forKey: id) != nil }
                if pending, case .cancelled = termination { try? channel.send(RunnerCommand.cancel(id: id)) }
            }
            stop.onCancel { [weak self] in
                guard let self else { return }
                let pending = state.withLock { $0.waiters.removeValue(forKey: id) != nil }
                if pending { try? channel.send(RunnerCommand.cancel(id: id)) }
                continuation.finish(throwing: InferenceError.cancelled)
            }
            send(.generate(id: id, request: request), failing: id)
        }
    }

    /// Computes embeddings in the runner.
    func embed(_ inputs: [String], truncate: Bool) async throws -> EmbeddingResult {
        try await withCheckedThrowingContinuation { continuation in
            request(.embedding(continuation)) { id in .embed(id: id, inputs: inputs, truncate: truncate) }
        }
    }

    /// Splits text into token ids in the runner.
    func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int] {
        try await withCheckedThrowingContinuation { continuation in
            request(.tokens(continuation)) { id in
                .tokenize(id: id, text: text, addSpecial: addSpecial, parseSpecial: parseSpecial)
            }
        }
    }

    /// Turns token ids into text in the runner.
    func detokenize(_ tokens: [Int]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            request(.text(continuation)) { id in .detokenize(id: id, tokens: tokens) }
        }
    }

    /// Registers a waiter under a new id and sends the command made with that id.
    private func request(_ waiter: Waiter, command: (UInt64) -> RunnerCommand) {
        guard let id = register(waiter) else { return }
        send(command(id), failing: id)
    }

    /// The new id `waiter` waits under; `nil`, with the waiter failed, when the runner is gone.
    private func register(_ waiter: Waiter) -> UInt64? {
        let registered = state.withLock { state -> (UInt64, String?) in
            if let exit = state.exit { return (0, exit) }
            let id = state.nextID
            state.nextID += 1
            state.waiters[id] = waiter
            return (id, nil)
        }
        if let exit = registered.1 {
            waiter.fail(Self.died(exit))
            return nil
        }
        return registered.0
    }

    /// Sends a command; when it cannot be sent, the request `id` fails.
    private func send(_ command: RunnerCommand, failing id: UInt64) {
        do {
            try channel.send(command)
        } catch {
            finish(id, throwing: error)
        }
    }

    /// Asks the runner to free its model and exit; kills it when it has not exited within `timeout` seconds.
    /// Returns once the process is gone.
    func stop(timeout: Double) async {
        try? channel.send(RunnerCommand.unload)
        if await waitForExit(seconds: timeout) { return }
        Glibc.kill(pid, SIGKILL)
        _ = await waitForExit(seconds: 10)
    }

    private func waitForExit(seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if exitDescription != nil { return true }
            // Not `Task.sleep`: an unload that runs during a cancelled shutdown must still wait.
            await withCheckedContinuation { continuation in
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(20)) { continuation.resume() }
            }
        }
        return exitDescription != nil
    }

    private func finish(_ id: UInt64, throwing error: any Error) {
        state.withLock({ $0.waiters.removeValue(forKey: id) })?.fail(error)
    }

    private static func died(_ exit: String) -> InferenceError {
        .engineFailure("the model's runner process \(exit)")
    }

    // Runs on the reader thread until the runner closes its end.
    private func readLoop() {
        while let payload = channel.receivePayload() {
            if let (id, text) = RunnerTextFrame.decode(payload) {
                handle(.event(id: id, event: .text(text)))
            } else if let reply = FrameChannel.decode(RunnerReply.self, from: payload) {
                handle(reply)
            } else {
                break
            }
        }
        channel.close()
        var status: Int32 = 0
        var reaped = waitpid(pid, &status, WNOHANG)
        // The socket closes as the runner exits; give it a moment to finish before forcing it.
        for _ in 0..<100 where reaped == 0 {
            usleep(20_000)
            reaped = waitpid(pid, &status, WNOHANG)
        }
        if reaped == 0 {
            Glibc.kill(pid, SIGKILL)
            waitpid(pid, &status, 0)
        }
        let (waiters, load, description) = state.withLock { state in
            let description = state.unloaded ? "exited" : RunnerSpawn.describe(waitStatus: status)
            state.exit = description
            defer {
                state.waiters = [:]
                state.load = nil
            }
            return (state.waiters, state.load, description)
        }
        load?.resume(throwing: InferenceError.engineFailure("the runner process \(description) while loading"))
        for waiter in waiters.values { waiter.fail(Self.died(description)) }
    }

    private func handle(_ reply: RunnerReply) {
        switch reply {
        case .loaded(let info):
            state.withLock { state in
                defer { state.load = nil }; return state.load
            }?.resume(returning: info)
        case .loadFailed(let error):
            state.withLock { state in
                defer { state.load = nil }; return state.load
            }?.resume(throwing: error)
        case .event(let id, let event):
            guard case .stream(let continuation) = state.withLock({ $0.waiters[id] }) else { return }
            continuation.yield(event)
            if case .done = event {
                state.withLock { _ = $0.waiters.removeValue(forKey: id) }
                continuation.finish()
            }
        case .failed(let id, let error):
            finish(id, throwing: error)
        case .embedded(let id, let result):
            guard case .embedding(let continuation) = state.withLock({ $0.waiters.removeValue(forKey: id) }) else {
                return
            }
            continuation.resume(returning: result)
        case .tokenized(let id, let tokens):
            guard case .tokens(let continuation) = state.withLock({ $0.waiters.removeValue(forKey: id) }) else {
                return
            }
            continuation.resume(returning: tokens)
        case .detokenized(let id, let text):
            guard case .text(let continuation) = state.withLock({ $0.waiters.removeValue(forKey: id) }) else {
                return
            }
            continuation.resume(returning: text)
        case .unloaded:
            state.withLock { $0.unloaded = true }
        }
    }
}

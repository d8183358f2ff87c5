import EngineSupport
import Glibc
import InferenceTypes
import NIOCore
import NIOPosix
import Synchronization

/// The server's side of one runner process: an NIO channel over its socket that sends commands and routes
/// each reply to the request waiting for it. When the socket closes, the process is reaped and every request
/// in flight fails with the reason, once. NIO closes the descriptor, once, with the channel.
final class RunnerProcess: Sendable {
    typealias Machine = RunnerStateMachine<CheckedContinuation<RunnerLoadedModel, any Error>, RunnerWaiter>

    struct Locked {
        var machine = Machine()
        var channel: (any Channel)?
    }

    /// How long a runner whose socket closed gets to exit before it is killed.
    static let exitGracePeriod = TimeAmount.seconds(2)

    /// The runner's process id; `nil` for a runner served inside this process (tests).
    let pid: pid_t?
    let eventLoop: any EventLoop
    let state = Mutex(Locked())
    /// Succeeds once the runner is reaped and its waiters have failed.
    let exited: EventLoopPromise<Void>

    private init(pid: pid_t?, eventLoop: any EventLoop) {
        self.pid = pid
        self.eventLoop = eventLoop
        self.exited = eventLoop.makePromise()
    }

    /// Spawns `executable runner arguments...` and connects to it.
    static func spawn(
        executable: String, arguments: [String], environment: [String: String], group: any EventLoopGroup
    ) async throws -> RunnerProcess {
        // Spawned from a thread of NIO's pool, which lives as long as the server: the runner's parent-death
        // signal fires when the thread that spawned it ends, not only when the server does.
        let (pid, descriptor) = try await NIOThreadPool.singleton.runIfActive {
            try RunnerSpawn.spawn(executable: executable, arguments: arguments, environment: environment)
        }
        return try await connect(descriptor: descriptor, pid: pid, group: group)
    }

    /// Connects to a runner on the socket `descriptor`, which NIO then owns and closes.
    /// - Parameter pid: the runner's process, reaped when the socket closes; `nil` when it is not a child.
    static func connect(descriptor: Int32, pid: pid_t?, group: any EventLoopGroup) async throws -> RunnerProcess {
        let process = RunnerProcess(pid: pid, eventLoop: group.next())
        do {
            let channel = try await ClientBootstrap(group: process.eventLoop)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers(
                            ByteToMessageHandler(RunnerFrameDecoder()), MessageToByteHandler(RunnerFrameEncoder()),
                            RunnerReplyHandler(process: process))
                    }
                }
                .withConnectedSocket(descriptor).get()
            process.state.withLock { $0.channel = channel }
            return process
        } catch {
            process.killIfAlive()
            process.channelClosed()
            throw InferenceError.engineFailure("cannot connect to the runner process: \(error)")
        }
    }

    /// Why the runner ended, once it is reaped.
    var exitDescription: String? {
        state.withLock { state in
            if case .dead(let reason) = state.machine.phase { return reason }
            return nil
        }
    }

    /// Whether the runner can still answer: its socket is open.
    var isAlive: Bool {
        state.withLock { state in
            switch state.machine.phase {
            case .idle, .loading, .loaded, .unloading: true
            case .dying, .dead: false
            }
        }
    }

    /// Asks the runner to load the model and waits for its answer.
    func load(_ descriptor: ModelDescriptor, options: RunnerEngineOptions) async throws -> RunnerLoadedModel {
        let payload = try Self.payload(RunnerCommand.load(descriptor, options: options))
        return try await withCheckedThrowingContinuation { continuation in
            switch state.withLock({ $0.machine.startLoad(continuation) }) {
            case .send:
                write(payload)
            case .fail(let waiter, let reason):
                waiter.resume(
                    throwing: InferenceError.modelLoadFailed(model: descriptor.id, reason: "runner \(reason)"))
            case .wait:
                break
            }
        }
    }

    /// Starts a generation in the runner; raising `stop` or ending the stream's consumption cancels it there,
    /// and `stop` ends the stream at once.
    func generate(_ request: EngineRequest, stop: CancellationFlag) -> AsyncThrowingStream<EngineEvent, any Error> {
        AsyncThrowingStream { continuation in
            guard let id = start(.stream(continuation), { id in .generate(id: id, request: request) }) else { return }
            continuation.onTermination = { [weak self] _ in self?.cancel(id) }
            stop.onCancel { [weak self] in
                self?.cancel(id)
                continuation.finish(throwing: InferenceError.cancelled)
            }
        }
    }

    /// Computes embeddings in the runner.
    func embed(_ inputs: [String], truncate: Bool) async throws -> EmbeddingResult {
        try await withCheckedThrowingContinuation { continuation in
            _ = start(.embedding(continuation)) { id in .embed(id: id, inputs: inputs, truncate: truncate) }
        }
    }

    /// Scores documents against a query in the runner.
    func rerank(query: String, documents: [String]) async throws -> RerankResult {
        try await withCheckedThrowingContinuation { continuation in
            _ = start(.scores(continuation)) { id in .rerank(id: id, query: query, documents: documents) }
        }
    }

    /// Splits text into token ids in the runner.
    func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int] {
        try await withCheckedThrowingContinuation { continuation in
            _ = start(.tokens(continuation)) { id in
                .tokenize(id: id, text: text, addSpecial: addSpecial, parseSpecial: parseSpecial)
            }
        }
    }

    /// Turns token ids into text in the runner.
    func detokenize(_ tokens: [Int]) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            _ = start(.text(continuation)) { id in .detokenize(id: id, tokens: tokens) }
        }
    }

    /// Saves the state `input` leaves to the file at `path`, in the runner.
    func savePromptCache(of input: GenerationInput, to path: String) async throws -> SavedPromptCache {
        try await withCheckedThrowingContinuation { continuation in
            _ = start(.promptCache(continuation)) { id in .savePromptCache(id: id, input: input, path: path) }
        }
    }

    /// Asks the runner to free its model and exit; kills it when it has not exited within `timeout` seconds.
    /// Returns once it is reaped (or 10 s after the kill, for a process the kernel cannot end). Waits even in
    /// a cancelled task: an unload during shutdown must still return the memory.
    func stop(timeout: Double) async {
        if state.withLock({ $0.machine.unload() }), let payload = try? Self.payload(RunnerCommand.unload) {
            write(payload)
        }
        let done = eventLoop.makePromise(of: Void.self)
        let finished = Mutex(false)
        let finish: @Sendable () -> Void = {
            let first = finished.withLock { wasFinished in
                defer { wasFinished = true }
                return !wasFinished
            }
            if first { done.succeed() }
        }
        exited.futureResult.whenComplete { _ in finish() }
        let grace = TimeAmount.milliseconds(Int64(max(0, timeout) * 1000))
        let kill = eventLoop.scheduleTask(in: grace) { [self] in killIfAlive() }
        let giveUp = eventLoop.scheduleTask(in: grace + .seconds(10)) { finish() }
        try? await done.futureResult.get()
        kill.cancel()
        giveUp.cancel()
    }

    /// Registers a request and sends its command; returns its id, or `nil` when it failed at once.
    private func start(_ waiter: RunnerWaiter, _ command: (UInt64) -> RunnerCommand) -> UInt64? {
        switch state.withLock({ $0.machine.startRequest(waiter) }) {
        case .send(let id):
            do {
                write(try Self.payload(command(id)))
            } catch {
                state.withLock { $0.machine.cancel(id: id) }?.waiter.fail(error)
                return nil
            }
            return id
        case .fail(let waiter, let reason):
            waiter.fail(Self.died(reason))
            return nil
        case .wait:
            return nil
        }
    }

    /// The request `id` ended on this side; the runner is told to stop it if it is still running there.
    private func cancel(_ id: UInt64) {
        guard let cancelled = state.withLock({ $0.machine.cancel(id: id) }), cancelled.sendCancel,
            let payload = try? Self.payload(RunnerCommand.cancel(id: id))
        else { return }
        write(payload)
    }

    /// Writes one frame. A write that fails closes the channel, and the runner's death then fails its waiters.
    private func write(_ payload: ByteBuffer) {
        state.withLock { $0.channel }?.writeAndFlush(payload, promise: nil)
    }

    /// A command's JSON, refused when it would not fit in a frame.
    private static func payload(_ command: RunnerCommand) throws(InferenceError) -> ByteBuffer {
        let json = try RunnerJSON.encode(command)
        guard json.count <= RunnerFrameDecoder.maxFrameBytes else {
            throw .invalidRequest("the request is too large for a runner (\(json.count) bytes)")
        }
        return ByteBuffer(bytes: json)
    }

    static func died(_ reason: String) -> InferenceError {
        .engineFailure("the model's runner process \(reason)")
    }
}

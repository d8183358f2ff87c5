import EngineSupport
import Glibc
public import InferenceTypes
public import Logging
import Synchronization

/// The runner process's side: reads commands from the server on its socket, hosts one engine, and sends
/// back what it produces. It exits when the server unloads the model, closes the socket, or dies.
public final class RunnerHost: Sendable {
    private let channel: FrameChannel
    private let makeLoaders: @Sendable (RunnerEngineOptions) throws -> [any EngineLoader]
    private let exitsWithServer: Bool
    private let logger: Logger
    private let tasks = Mutex([UInt64: Task<Void, Never>]())

    /// Creates a host on the socket `descriptor`.
    /// - Parameters:
    ///   - exitsWithServer: whether the process exits at once when the server closes the socket or cannot be
    ///     written to (a runner: a runtime stuck in a call must not keep it, and the NPU's memory, alive);
    ///     `false` ends `run()` instead and closes the descriptor (a host served inside a test process).
    ///   - loaders: the engine loaders for the settings the `load` command carries.
    public init(
        descriptor: Int32, logger: Logger, exitsWithServer: Bool = true,
        loaders: @escaping @Sendable (RunnerEngineOptions) throws -> [any EngineLoader]
    ) {
        self.channel = FrameChannel(descriptor: descriptor)
        self.makeLoaders = loaders
        self.exitsWithServer = exitsWithServer
        self.logger = logger
    }

    /// Serves until the model is unloaded or the server closes the socket; returns the process's exit status.
    public func run() async -> Int32 {
        let commands = AsyncStream<RunnerCommand> { continuation in
            do {
                try DetachedThread.start { [channel, exitsWithServer] in
                    while let command = channel.receive(RunnerCommand.self) { continuation.yield(command) }
                    if exitsWithServer { _exit(0) }
                    continuation.finish()
                    channel.close()
                }
            } catch {
                continuation.finish()
            }
        }
        defer { if !exitsWithServer { channel.shutdown() } }
        var engine: (any Engine)?
        for await command in commands {
            switch command {
            case .load(let descriptor, let options):
                do {
                    engine = try await load(descriptor, options: options)
                    if let engine { send(.loaded(engine.info, slots: engine.slots)) }
                } catch {
                    send(.loadFailed(Self.inferenceError(error)))
                    return 1
                }
            case .generate(let id, let request):
                guard let engine else {
                    send(.failed(id: id, error: .engineFailure("no model is loaded in this runner")))
                    continue
                }
                start(id) { host in
                    do {
                        for try await event in engine.generate(request) {
                            if case .text(let text) = event {
                                host.send(payload: RunnerTextFrame.encode(id: id, text: text))
                            } else {
                                host.send(.event(id: id, event: event))
                            }
                        }
                    } catch {
                        host.send(.failed(id: id, error: Self.inferenceError(error)))
                    }
                }
            case .embed(let id, let inputs, let truncate):
                guard let engine else {
                    send(.failed(id: id, error: .engineFailure("no model is loaded in this runner")))
                    continue
                }
                start(id) { host in
                    do {
                        host.send(.embedded(id: id, result: try await engine.embed(inputs, truncate: truncate)))
                    } catch {
                        host.send(.failed(id: id, error: Self.inferenceError(error)))
                    }
                }
            case .rerank(let id, let query, let documents):
                answer(id, engine: engine) { engine in
                    .reranked(id: id, result: try await engine.rerank(query: query, documents: documents))
                }
            case .tokenize(let id, let text, let addSpecial, let parseSpecial):
                answer(id, engine: engine) { engine in
                    .tokenized(
                        id: id,
                        tokens: try await engine.tokenize(text, addSpecial: addSpecial, parseSpecial: parseSpecial))
                }
            case .detokenize(let id, let tokens):
                answer(id, engine: engine) { engine in
                    .detokenized(id: id, text: try await engine.detokenize(tokens))
                }
            case .savePromptCache(let id, let input, let path):
                answer(id, engine: engine) { engine in
                    .savedPromptCache(id: id, result: try await engine.savePromptCache(of: input, to: path))
                }
            case .cancel(let id):
                tasks.withLock { $0[id] }?.cancel()
            case .unload:
                for task in tasks.withLock({ Array($0.values) }) { task.cancel() }
                await engine?.unload()
                send(.unloaded)
                return 0
            }
        }
        return 0
    }

    private func load(_ descriptor: ModelDescriptor, options: RunnerEngineOptions) async throws -> any Engine {
        guard let loader = try makeLoaders(options).first(where: { $0.format == descriptor.format }) else {
            throw InferenceError.runtimeUnavailable("no engine for .\(descriptor.format.rawValue) models in this build")
        }
        logger.info("runner loading model", metadata: ["model.id": "\(descriptor.id)", "runner.pid": "\(getpid())"])
        return try await loader.load(descriptor)
    }

    /// Runs a request with one reply, or fails it when no model is loaded.
    private func answer(
        _ id: UInt64, engine: (any Engine)?, _ work: @escaping @Sendable (any Engine) async throws -> RunnerReply
    ) {
        guard let engine else {
            send(.failed(id: id, error: .engineFailure("no model is loaded in this runner")))
            return
        }
        start(id) { host in
            do {
                host.send(try await work(engine))
            } catch {
                host.send(.failed(id: id, error: Self.inferenceError(error)))
            }
        }
    }

    private func start(_ id: UInt64, _ work: @escaping @Sendable (RunnerHost) async -> Void) {
        // Recorded under the lock before the task can remove itself, so a quick task leaves nothing behind.
        tasks.withLock { tasks in
            tasks[id] = Task { [self] in
                await work(self)
                _ = self.tasks.withLock { $0.removeValue(forKey: id) }
            }
        }
    }

    private func send(_ reply: RunnerReply) {
        do {
            try channel.send(reply)
        } catch {
            if exitsWithServer { _exit(0) }
        }
    }

    private func send(payload: [UInt8]) {
        do {
            try channel.send(payload: payload)
        } catch {
            if exitsWithServer { _exit(0) }
        }
    }

    private static func inferenceError(_ error: any Error) -> InferenceError {
        if let error = error as? InferenceError { return error }
        if error is CancellationError { return .cancelled }
        return .engineFailure(String(describing: error))
    }
}

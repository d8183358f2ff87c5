import Foundation
import InferenceCore
public import InferenceTypes
import Synchronization

/// An engine that replays a script instead of running a model, for tests of the core and the server that
/// need no model: admission, keep-alive, leases, time limits, mid-stream errors, disconnects and framing.
///
/// Each generation plays the steps the script gives for its request, at once and without a task of its own:
/// events are yielded, a stall waits until the generation is stopped or the test calls `releaseStalls()`, a
/// failure ends the stream with its error. Raising the generation's stop flag ends its stream at once with
/// `InferenceError.cancelled`, as the real engines do.
public final class ScriptedEngine: Engine {
    /// One step of a scripted generation.
    public enum Step: Sendable, Equatable {
        /// Yields an event.
        case event(EngineEvent)
        /// Waits until the generation is stopped or the test releases the stall.
        case stall
        /// Ends the stream with an error.
        case fail(InferenceError)
    }

    private struct Stalled {
        var rest: ArraySlice<Step>
        var continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation
    }

    private struct State {
        var generations = 0
        var stopped = 0
        var requests: [EngineRequest] = []
        var stalled: [Int: Stalled] = [:]
        var alive = true
        var unloaded = false
        var savedInputs: [GenerationInput] = []
        var embeddings = 0
    }

    public let info: ModelInfo
    public let slots: Int
    /// Whether `savePromptCache` writes a file (else it refuses, as an engine that cannot).
    public let savesPromptCaches: Bool
    private let script: @Sendable (EngineRequest) -> [Step]
    private let state = Mutex(State())

    /// An engine whose generations play `script(request)`.
    /// - Parameter savesPromptCaches: whether `savePromptCache` writes the input's text to the file (one
    ///   token per character) instead of refusing.
    public init(
        info: ModelInfo = ScriptedEngine.info(), slots: Int = 1, savesPromptCaches: Bool = false,
        script: @escaping @Sendable (EngineRequest) -> [Step] = { _ in ScriptedEngine.answer(["Hello", "!"]) }
    ) {
        self.info = info
        self.slots = slots
        self.savesPromptCaches = savesPromptCaches
        self.script = script
    }

    /// Model information for a scripted model: no chat template unless one is given (the engine "renders"
    /// conversations itself), the runtime `runtimeVersion`.
    public static func info(
        canThink: Bool = false, architecture: String = "qwen3", chatTemplate: String? = nil,
        runtimeVersion: String = "scripted 1"
    ) -> ModelInfo {
        var info = ModelInfo(
            architecture: architecture, trainedContextLength: 4096, contextLength: 4096, parameterCount: 1,
            weightsBytes: 1 << 20, chatTemplate: chatTemplate, quantization: nil, canThink: canThink)
        info.runtimeVersion = runtimeVersion
        return info
    }

    /// Writes the text of `input` to `path` when the engine saves prompt caches (a conversation as its
    /// messages' contents, one a line); refuses otherwise, as engines that cannot do.
    public func savePromptCache(of input: GenerationInput, to path: String) async throws -> SavedPromptCache {
        state.withLock { $0.savedInputs.append(input) }
        guard savesPromptCaches else {
            throw InferenceError.invalidRequest("this model's engine cannot save prompt caches")
        }
        let text: String
        switch input {
        case .text(let value), .rendered(let value): text = value
        case .chat(let messages): text = messages.map(\.content).joined(separator: "\n")
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return SavedPromptCache(tokens: text.count, bytes: UInt64(text.utf8.count))
    }

    /// The inputs `savePromptCache` was given, in order.
    public var savedInputs: [GenerationInput] { state.withLock { $0.savedInputs } }

    /// One two-element vector per input, at once, whatever runs.
    public func embed(_ inputs: [String], truncate: Bool) async throws -> EmbeddingResult {
        state.withLock { $0.embeddings += 1 }
        return EmbeddingResult(vectors: inputs.map { _ in [1, 0] }, promptTokens: inputs.count, totalNanos: 1)
    }

    /// Embedding requests answered so far.
    public var embeddings: Int { state.withLock { $0.embeddings } }

    /// The steps of an answer made of `pieces`, one token each, ending with a summary.
    public static func answer(_ pieces: [String], finish: FinishReason = .stop) -> [Step] {
        pieces.map { .event(.text($0)) } + [.event(summary(tokens: pieces.count, finish: finish))]
    }

    /// A summary of `tokens` completion tokens.
    public static func summary(tokens: Int, finish: FinishReason = .stop) -> EngineEvent {
        .done(
            GenerationSummary(
                finishReason: finish, usage: Usage(promptTokens: 3, completionTokens: tokens), timings: Timings()))
    }

    public func generate(_ request: EngineRequest, stop: CancellationFlag) -> AsyncThrowingStream<
        EngineEvent, any Error
    > {
        let (events, continuation) = AsyncThrowingStream.makeStream(of: EngineEvent.self)
        let id = state.withLock { state in
            state.generations += 1
            state.requests.append(request)
            return state.generations
        }
        continuation.onTermination = { termination in
            if case .cancelled = termination { stop.cancel() }
        }
        stop.onCancel { [weak self] in
            self?.state.withLock { state in
                state.stopped += 1
                _ = state.stalled.removeValue(forKey: id)
            }
            continuation.finish(throwing: InferenceError.cancelled)
        }
        guard isAlive else {
            continuation.finish(throwing: InferenceError.engineFailure("the scripted engine is dead"))
            return events
        }
        play(id, script(request)[...], continuation)
        return events
    }

    private func play(
        _ id: Int, _ steps: ArraySlice<Step>, _ continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation
    ) {
        var rest = steps
        while let step = rest.popFirst() {
            switch step {
            case .event(let event):
                continuation.yield(event)
            case .fail(let error):
                continuation.finish(throwing: error)
                return
            case .stall:
                state.withLock { $0.stalled[id] = Stalled(rest: rest, continuation: continuation) }
                return
            }
        }
        continuation.finish()
    }

    /// Lets every stalled generation play the rest of its script.
    public func releaseStalls() {
        let stalled = state.withLock { state in
            defer { state.stalled = [:] }
            return state.stalled
        }
        for (id, run) in stalled { play(id, run.rest, run.continuation) }
    }

    /// Generations started so far.
    public var generations: Int { state.withLock { $0.generations } }

    /// Generations whose stop flag was raised (cancelled, timed out, or dropped by their reader).
    public var stopped: Int { state.withLock { $0.stopped } }

    /// Generations waiting in a stall now.
    public var stalls: Int { state.withLock { $0.stalled.count } }

    /// The requests the engine got, in order.
    public var requests: [EngineRequest] { state.withLock { $0.requests } }

    /// Whether `unload()` was called.
    public var isUnloaded: Bool { state.withLock { $0.unloaded } }

    /// Makes the engine dead, as a runner process that exited: `isAlive` turns false.
    public func die() {
        state.withLock { $0.alive = false }
    }

    public var isAlive: Bool { state.withLock { $0.alive } }

    public func unload() async {
        let stalled = state.withLock { state in
            state.unloaded = true
            defer { state.stalled = [:] }
            return state.stalled
        }
        for run in stalled.values {
            run.continuation.finish(throwing: InferenceError.engineFailure("the model was unloaded"))
        }
    }
}

/// Loads scripted engines: each load asks `make` for a new engine and counts it.
public final class ScriptedEngineLoader: EngineLoader {
    public let format: ModelFormat
    private let make: @Sendable (ModelDescriptor) async throws -> ScriptedEngine
    private let state = Mutex<(loads: Int, engines: [ScriptedEngine])>((0, []))

    /// A loader for `format` files whose engines `make` builds.
    public init(
        format: ModelFormat = .gguf,
        make: @escaping @Sendable (ModelDescriptor) async throws -> ScriptedEngine = { _ in ScriptedEngine() }
    ) {
        self.format = format
        self.make = make
    }

    public func load(_ model: ModelDescriptor) async throws -> any Engine {
        let engine = try await make(model)
        state.withLock { state in
            state.loads += 1
            state.engines.append(engine)
        }
        return engine
    }

    /// Loads so far.
    public var loads: Int { state.withLock { $0.loads } }

    /// The engines loaded so far, oldest first.
    public var engines: [ScriptedEngine] { state.withLock { $0.engines } }
}

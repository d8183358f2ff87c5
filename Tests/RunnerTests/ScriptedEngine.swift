import Foundation
import InferenceTypes
import Synchronization

/// An engine for the runner's tests: a request whose stop strings hold `stall` produces nothing until it is
/// cancelled (and says so on `cancellations`); any other answers `Hel`, `lo`, then done.
final class ScriptedEngine: Engine {
    let info = ModelInfo(
        architecture: "scripted", trainedContextLength: 64, contextLength: 64, parameterCount: 1, weightsBytes: 1,
        chatTemplate: nil, quantization: nil)
    let cancellations: AsyncStream<Void>
    private let cancelled: AsyncStream<Void>.Continuation
    private let unloads = Mutex(0)

    init() {
        (cancellations, cancelled) = AsyncStream.makeStream()
    }

    /// How often the engine was unloaded.
    var unloadCount: Int { unloads.withLock { $0 } }

    func generate(_ request: EngineRequest, stop: CancellationFlag) -> AsyncThrowingStream<EngineEvent, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: EngineEvent.self)
        if request.stop.contains("stall") {
            continuation.onTermination = { [cancelled] _ in cancelled.yield() }
            stop.onCancel { continuation.finish(throwing: InferenceError.cancelled) }
        } else {
            continuation.yield(.text("Hel"))
            continuation.yield(.text("lo"))
            continuation.yield(
                .done(GenerationSummary(finishReason: .stop, usage: Usage(completionTokens: 2), timings: Timings())))
            continuation.finish()
        }
        return stream
    }

    /// Three generations at once, so that a test sees the runner report it.
    let slots = 3

    /// Writes the input's text to `path`; a text of `refuse` is refused as an engine that cannot save would.
    func savePromptCache(of input: GenerationInput, to path: String) async throws -> SavedPromptCache {
        guard case .rendered(let text) = input, text != "refuse" else {
            throw InferenceError.invalidRequest("this model's engine cannot save prompt caches")
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return SavedPromptCache(tokens: text.count, bytes: UInt64(text.utf8.count))
    }

    func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int] {
        text.unicodeScalars.map { Int($0.value) }
    }

    func unload() async {
        unloads.withLock { $0 += 1 }
    }
}

/// Loads the one scripted engine, whatever the model.
struct ScriptedLoader: EngineLoader {
    let format = ModelFormat.rkllm
    let engine: ScriptedEngine

    func load(_ model: ModelDescriptor) async throws -> any Engine { engine }
}

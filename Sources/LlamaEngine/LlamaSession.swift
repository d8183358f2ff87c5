import CLlama
import EngineSupport
import InferenceTypes

/// The model and context of a loaded engine, the batch loop that drives them, and the embedding context made
/// on first use.
///
/// Only ever touched on the engine's model thread: `LlamaEngine` submits every call through it.
final class LlamaSession {
    private var loop: LlamaBatchLoop?
    private var embedder: LlamaEmbedder?
    let modelName: String
    private let threads: Int

    init(loop: LlamaBatchLoop, modelName: String, threads: Int) {
        self.loop = loop
        self.modelName = modelName
        self.threads = threads
    }

    /// The loaded model, or an engine failure once it is unloaded.
    func model() throws(InferenceError) -> LlamaModel {
        guard let loop else { throw .engineFailure("the model \(modelName) was unloaded") }
        return loop.context.model
    }

    /// Ends every generation, frees the contexts and the model.
    func close() {
        loop?.close()
        embedder = nil
        loop = nil
    }

    /// Hands work to the batch loop; it starts at the loop's next step.
    func enqueue(_ generation: LlamaGeneration) {
        guard let loop else {
            generation.fail(.engineFailure("the model \(modelName) was unloaded"))
            return
        }
        loop.enqueue(generation)
    }

    /// The embeddings of `inputs`, in order, and the tokens they were computed from.
    func embed(_ inputs: [String], truncate: Bool) throws(InferenceError) -> (vectors: [[Float]], tokens: Int) {
        guard let loop else { throw .engineFailure("the model \(modelName) was unloaded") }
        let context = loop.context
        let embedder: LlamaEmbedder
        if let existing = self.embedder {
            embedder = existing
        } else {
            embedder = try LlamaEmbedder(
                model: context.model, contextLength: min(context.size, LlamaEmbedder.maxInputTokens), threads: threads,
                modelName: modelName)
            self.embedder = embedder
        }
        var vectors: [[Float]] = []
        var tokens = 0
        for input in inputs {
            let embedding = try embedder.embed(input, truncate: truncate)
            vectors.append(embedding.vector)
            tokens += embedding.tokens
        }
        return (vectors, tokens)
    }
}

// Thread-confined: created on the model thread and, through LlamaEngine, only ever used there.
extension LlamaSession: @unchecked Sendable {}

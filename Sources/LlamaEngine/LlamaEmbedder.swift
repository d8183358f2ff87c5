import CLlama
import EngineSupport
import InferenceTypes
import Synchronization

/// Owns a second `llama_context` on the engine's model, made for embeddings: it pools the last hidden
/// states of a text (mean pooling) into one vector. The generation context and its prompt cache are left
/// untouched.
///
/// Used only on the engine's model thread.
final class LlamaEmbedder {
    private let api: LlamaAPI
    private let model: LlamaModel
    private let handle: OpaquePointer
    private var batch: llama_batch
    /// The most tokens one input may have: the whole input is decoded in one micro-batch, as pooling needs.
    let capacity: Int
    /// The length of each vector.
    let dimensions: Int

    /// The longest input embedded, in tokens. Pooling needs a whole input in one micro-batch, and the compute
    /// buffer grows with it (about 100 MiB at 512 tokens for SmolLM2, 850 MiB at 4096), so the embedding
    /// context is capped; longer inputs are cut when the request allows it, refused otherwise.
    static let maxInputTokens = 512

    /// Creates the context: `contextLength` tokens, each a batch and a micro-batch of that size.
    init(model: LlamaModel, contextLength: Int, threads: Int, modelName: String) throws(InferenceError) {
        let api = model.api
        self.api = api
        self.model = model
        var params = api.contextDefaultParams()
        params.n_ctx = UInt32(contextLength)
        params.n_batch = UInt32(contextLength)
        params.n_ubatch = UInt32(contextLength)
        params.n_seq_max = 1
        params.n_threads = Int32(threads)
        params.n_threads_batch = Int32(threads)
        params.embeddings = true
        params.pooling_type = LLAMA_POOLING_TYPE_MEAN
        params.no_perf = true
        lastLlamaError.withLock { $0 = nil }
        guard let context = api.initFromModel(model.handle, params) else {
            let reason = lastLlamaError.withLock { $0 } ?? "llama.cpp could not create a context"
            throw .engineFailure("cannot compute embeddings with model '\(modelName)': \(reason)")
        }
        handle = context
        capacity = Int(min(api.nCtx(context), api.nBatch(context)))
        dimensions = Int(api.modelNEmbdOut(model.handle))
        batch = api.batchInit(Int32(capacity), 0, 1)
    }

    deinit {
        api.batchFree(batch)
        api.free(handle)
    }

    /// The L2-normalised embedding of `text` and the number of tokens it was computed from.
    ///
    /// A text of more than `capacity` tokens is cut to its first `capacity` tokens when `truncate` is true,
    /// and refused with `InferenceError.contextOverflow` otherwise.
    func embed(_ text: String, truncate: Bool) throws(InferenceError) -> (vector: [Float], tokens: Int) {
        var tokens = try model.tokenize(text, addSpecial: true, parseSpecial: true)
        guard !tokens.isEmpty else { throw .invalidRequest("an input has no tokens") }
        if tokens.count > capacity {
            guard truncate else { throw .contextOverflow(promptTokens: tokens.count, contextSize: capacity) }
            tokens.removeLast(tokens.count - capacity)
        }
        api.memoryClear(api.getMemory(handle), true)
        for (position, token) in tokens.enumerated() {
            batch.token[position] = token
            batch.pos[position] = llama_pos(position)
            batch.n_seq_id[position] = 1
            batch.seq_id[position]![0] = 0
            batch.logits[position] = 1
        }
        batch.n_tokens = Int32(tokens.count)
        let status = api.decode(handle, batch)
        guard status == 0 else { throw .engineFailure("llama_decode returned \(status) while embedding") }
        guard let pooled = api.getEmbeddingsSeq(handle, 0) else {
            throw .engineFailure("llama.cpp returned no pooled embedding")
        }
        // llama.cpp owns `pooled`: n_embd_out floats, valid until the next decode of this context.
        let vector = Array(UnsafeBufferPointer(start: pooled, count: dimensions))
        return (UnitVector.normalized(vector), tokens.count)
    }
}

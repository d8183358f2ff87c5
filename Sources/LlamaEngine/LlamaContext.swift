import CLlama
import EngineSupport
import InferenceTypes
import Synchronization

/// Owns one `llama_context` and its batch, and remembers which tokens its KV cache holds so that a
/// prompt sharing a prefix with the previous one evaluates only the new part.
///
/// Used only on the engine's model thread.
final class LlamaContext {
    private let api: LlamaAPI
    let model: LlamaModel
    let handle: OpaquePointer
    private var batch: llama_batch
    let size: Int
    private let batchCapacity: Int
    /// The tokens whose keys and values are in the cache, in position order (sequence 0).
    private(set) var cachedTokens: [llama_token] = []

    /// Creates a context of `contextLength` tokens running on `threads` threads, for up to `sequences`
    /// sequences at once; several share one KV cache of `contextLength` cells (unified).
    init(
        model: LlamaModel, contextLength: Int, batchSize: Int, microBatchSize: Int, threads: Int, modelName: String,
        sequences: Int = 1
    ) throws(InferenceError) {
        let api = model.api
        self.api = api
        self.model = model
        var params = api.contextDefaultParams()
        params.n_ctx = UInt32(contextLength)
        params.n_batch = UInt32(batchSize)
        params.n_ubatch = UInt32(microBatchSize)
        params.n_seq_max = UInt32(max(1, sequences))
        if sequences > 1 { params.kv_unified = true }
        params.n_threads = Int32(threads)
        params.n_threads_batch = Int32(threads)
        params.no_perf = true
        lastLlamaError.withLock { $0 = nil }
        guard let context = api.initFromModel(model.handle, params) else {
            let reason = lastLlamaError.withLock { $0 } ?? "llama.cpp could not create a context"
            throw .modelLoadFailed(model: modelName, reason: reason)
        }
        handle = context
        size = Int(api.nCtx(context))
        batchCapacity = Int(api.nBatch(context))
        batch = api.batchInit(Int32(batchCapacity), 0, 1)
    }

    deinit {
        api.batchFree(batch)
        api.free(handle)
    }

    /// Makes `cancellation` stop any `llama_decode` of this context between graph nodes.
    func setCancellation(_ cancellation: CancellationFlag?) {
        guard let cancellation else {
            api.setAbortCallback(handle, nil, nil)
            return
        }
        // The flag outlives the generation that set it: the engine keeps it alive until it resets this.
        api.setAbortCallback(handle, abortWhenCancelled, Unmanaged.passUnretained(cancellation).toOpaque())
    }

    /// Evaluates a prompt, reusing the cached prefix it shares with what the cache holds.
    /// Returns how many prompt tokens came from the cache. Leaves the logits of the last token ready.
    func evaluatePrompt(_ tokens: [llama_token]) throws(InferenceError) -> Int {
        var reused = zip(cachedTokens, tokens).prefix { $0 == $1 }.count
        // The last prompt token is always evaluated again: its logits choose the first new token.
        if reused == tokens.count { reused -= 1 }
        if reused < cachedTokens.count {
            if !api.memorySeqRm(api.getMemory(handle), 0, Int32(reused), -1) {
                clear()
                reused = 0
            }
            cachedTokens.removeLast(cachedTokens.count - reused)
        }
        var start = reused
        while start < tokens.count {
            let end = min(start + batchCapacity, tokens.count)
            try decode(tokens[start..<end], wantLastLogits: end == tokens.count)
            start = end
        }
        return reused
    }

    /// Evaluates one generated token, after which its logits are ready.
    func evaluate(_ token: llama_token) throws(InferenceError) {
        try decode([token][...], wantLastLogits: true)
    }

    /// Empties the cache.
    func clear() {
        api.memoryClear(api.getMemory(handle), true)
        cachedTokens.removeAll()
    }

    private func decode(_ tokens: ArraySlice<llama_token>, wantLastLogits: Bool) throws(InferenceError) {
        let position = cachedTokens.count
        for (offset, token) in tokens.enumerated() {
            batch.token[offset] = token
            batch.pos[offset] = llama_pos(position + offset)
            batch.n_seq_id[offset] = 1
            batch.seq_id[offset]![0] = 0
            batch.logits[offset] = 0
        }
        batch.n_tokens = Int32(tokens.count)
        if wantLastLogits { batch.logits[tokens.count - 1] = 1 }
        let status = api.decode(handle, batch)
        guard status == 0 else {
            // An aborted or failed decode may leave part of the batch in the cache: start afresh next time.
            clear()
            switch status {
            case 2: throw .cancelled
            case 1: throw .contextOverflow(promptTokens: position + tokens.count, contextSize: size)
            default: throw .engineFailure("llama_decode returned \(status)")
            }
        }
        cachedTokens.append(contentsOf: tokens)
    }
}

/// Called by ggml between graph nodes; `data` is an unretained `CancellationFlag` kept alive by the engine.
private let abortWhenCancelled: ggml_abort_callback = { data in
    guard let data else { return false }
    return Unmanaged<CancellationFlag>.fromOpaque(data).takeUnretainedValue().isCancelled
}

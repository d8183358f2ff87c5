import CLlama
import EngineSupport
import InferenceTypes
import Synchronization

/// Owns one `llama_context` whose unified KV cache holds `sequences` sequences (slots) of `size` tokens each,
/// and the one `llama_batch` every decode of it is built in.
///
/// Which tokens each sequence holds is the batch loop's bookkeeping (`LlamaSlot`); the context only removes
/// positions when told. Used only on the engine's model thread.
final class LlamaContext {
    private let api: LlamaAPI
    let model: LlamaModel
    let handle: OpaquePointer
    private var batch: llama_batch
    /// The context length of one sequence.
    let size: Int
    /// How many sequences the cache holds at once.
    let sequences: Int
    /// The most tokens one decode takes.
    let batchCapacity: Int
    /// The tokens in the batch being built.
    private(set) var batchCount = 0
    private let abortWatch = LlamaAbortWatch()

    /// Creates a context of `sequences` sequences of `contextLength` tokens each, running on `threads` threads.
    init(
        model: LlamaModel, contextLength: Int, batchSize: Int, microBatchSize: Int, threads: Int, modelName: String,
        sequences: Int = 1
    ) throws(InferenceError) {
        let api = model.api
        self.api = api
        self.model = model
        let sequences = max(1, sequences)
        var params = api.contextDefaultParams()
        params.n_ctx = UInt32(contextLength * sequences)
        params.n_batch = UInt32(batchSize)
        params.n_ubatch = UInt32(microBatchSize)
        params.n_seq_max = UInt32(sequences)
        params.kv_unified = true
        params.n_threads = Int32(threads)
        params.n_threads_batch = Int32(threads)
        params.no_perf = true
        lastLlamaError.withLock { $0 = nil }
        guard let context = api.initFromModel(model.handle, params) else {
            let reason = lastLlamaError.withLock { $0 } ?? "llama.cpp could not create a context"
            throw .modelLoadFailed(model: modelName, reason: reason)
        }
        handle = context
        self.sequences = sequences
        size = Int(api.nCtx(context)) / sequences
        batchCapacity = Int(api.nBatch(context))
        batch = api.batchInit(Int32(batchCapacity), 0, 1)
        // The watch lives as long as the context: the callback's unretained pointer stays valid.
        api.setAbortCallback(context, abortWhenEveryoneLeft, Unmanaged.passUnretained(abortWatch).toOpaque())
    }

    deinit {
        api.setAbortCallback(handle, nil, nil)
        api.batchFree(batch)
        api.free(handle)
    }

    /// Removes the positions from `start` on of `sequence` (every position when `start` is 0); when llama.cpp
    /// cannot cut the sequence there it removes the whole sequence and answers false.
    @discardableResult
    func removePositions(of sequence: llama_seq_id, from start: Int) -> Bool {
        let memory = api.getMemory(handle)
        if api.memorySeqRm(memory, sequence, Int32(start), -1) { return true }
        _ = api.memorySeqRm(memory, sequence, -1, -1)
        return false
    }

    /// Empties every sequence.
    func clear() {
        api.memoryClear(api.getMemory(handle), true)
    }

    /// Starts a new batch.
    func resetBatch() {
        batchCount = 0
        abortWatch.flags.removeAll(keepingCapacity: true)
    }

    /// Adds `token` of `sequence` at `position` to the batch; returns its row, whose logits are kept when
    /// `wantsLogits`. The caller keeps within `batchCapacity`.
    @discardableResult
    func add(_ token: llama_token, at position: Int, of sequence: llama_seq_id, wantsLogits: Bool) -> Int32 {
        let row = batchCount
        batch.token[row] = token
        batch.pos[row] = llama_pos(position)
        batch.n_seq_id[row] = 1
        batch.seq_id[row]![0] = sequence
        batch.logits[row] = wantsLogits ? 1 : 0
        batchCount += 1
        return Int32(row)
    }

    /// Makes the next decode abort when `cancellation` is raised and so is every other flag added for it.
    func watch(_ cancellation: CancellationFlag) {
        abortWatch.flags.append(cancellation)
    }

    /// Decodes the batch; returns llama.cpp's status (0: done, 1: no room in the cache, 2: aborted, else failed).
    func decodeBatch() -> Int32 {
        batch.n_tokens = Int32(batchCount)
        return withExtendedLifetime(abortWatch) { api.decode(handle, batch) }
    }
}

/// Called by ggml between graph nodes; `data` is the context's `LlamaAbortWatch`, alive as long as the context.
private let abortWhenEveryoneLeft: ggml_abort_callback = { data in
    guard let data else { return false }
    return Unmanaged<LlamaAbortWatch>.fromOpaque(data).takeUnretainedValue().everyoneLeft
}

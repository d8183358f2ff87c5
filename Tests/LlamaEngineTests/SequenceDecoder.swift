import CLlama
import InferenceTypes

@testable import LlamaEngine

/// Decodes tokens into any sequence of a context with its own `llama_batch`, and picks greedy next tokens:
/// what the batch loop does, reduced to what the state cache's tests need.
final class SequenceDecoder {
    let context: LlamaContext
    private let api: LlamaAPI
    private var batch: llama_batch
    private let capacity: Int

    init(context: LlamaContext) {
        self.context = context
        api = context.model.api
        capacity = context.size
        batch = api.batchInit(Int32(capacity), 0, 1)
    }

    deinit {
        api.batchFree(batch)
    }

    /// Decodes `tokens` into `sequence` at positions from `start` on; returns the greedy next token.
    @discardableResult
    func decode(_ tokens: [llama_token], into sequence: llama_seq_id, from start: Int) throws -> llama_token {
        precondition(!tokens.isEmpty && tokens.count <= capacity)
        for (offset, token) in tokens.enumerated() {
            batch.token[offset] = token
            batch.pos[offset] = llama_pos(start + offset)
            batch.n_seq_id[offset] = 1
            batch.seq_id[offset]![0] = sequence
            batch.logits[offset] = offset == tokens.count - 1 ? 1 : 0
        }
        batch.n_tokens = Int32(tokens.count)
        let status = api.decode(context.handle, batch)
        guard status == 0 else { throw InferenceError.engineFailure("llama_decode returned \(status)") }
        return greedy(at: Int32(tokens.count - 1))
    }

    /// Continues `sequence`, which holds `length` tokens, greedily from `first` for `count` tokens.
    func continueGreedily(_ sequence: llama_seq_id, length: Int, from first: llama_token, count: Int) throws
        -> [llama_token]
    {
        var tokens = [first]
        while tokens.count < count {
            tokens.append(try decode([tokens.last!], into: sequence, from: length + tokens.count - 1))
        }
        return tokens
    }

    /// Empties `sequence`.
    func clear(_ sequence: llama_seq_id) {
        _ = api.memorySeqRm(api.getMemory(context.handle), sequence, -1, -1)
    }

    private func greedy(at index: Int32) -> llama_token {
        let vocabulary = Int(context.model.vocabularySize)
        // llama.cpp returns the logits of the batch's `index`-th token: `vocabulary` floats.
        let logits = UnsafeBufferPointer(start: api.getLogitsIth(context.handle, index)!, count: vocabulary)
        return llama_token(logits.indices.max { logits[$0] < logits[$1] }!)
    }
}

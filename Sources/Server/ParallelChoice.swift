import GGUF
import InferenceTypes

/// How many sequences (slots) a model runs at once when `--parallel` is 0 (auto): a `.gguf` model 4, or the
/// largest of 4, 2 and 1 whose weights and KV cache of every slot fit the memory budget; an `.rkllm` model
/// what its sidecar's `n_batch` says (the RKLLM engine reads it), else 1.
enum ParallelChoice {
    /// The slot counts auto tries for a `.gguf` model, most first.
    static let candidates = [4, 2, 1]

    /// The slots of `descriptor` for the `parallel` setting; 0 chooses as above, a positive value is kept.
    /// An `.rkllm` model's 0 stays 0: its engine reads the sidecar.
    static func slots(
        for descriptor: ModelDescriptor, parallel: Int, contextLength: Int, memoryBudgetBytes: UInt64
    ) -> Int {
        guard parallel <= 0 else { return parallel }
        guard descriptor.format == .gguf else { return 0 }
        guard let perSlot = kvCacheBytes(ofModelAt: descriptor.path, contextLength: contextLength) else {
            return candidates[0]
        }
        let weights = UInt64(max(0, descriptor.sizeBytes))
        return candidates.first { weights + UInt64($0) * perSlot <= memoryBudgetBytes } ?? 1
    }

    /// The bytes of one slot's f16 KV cache of `contextLength` tokens (0: the trained length), from the
    /// attention shape in the GGUF header of the file at `path`; `nil` when the header does not say.
    static func kvCacheBytes(ofModelAt path: String, contextLength: Int) -> UInt64? {
        guard let metadata = try? GGUFMetadata(path: path), let architecture = metadata.architecture,
            let layers = metadata.integer("\(architecture).block_count"),
            let heads = metadata.integer("\(architecture).attention.head_count"), heads > 0,
            let embedding = metadata.embeddingLength
        else { return nil }
        let trained = metadata.contextLength ?? 4096
        let length = contextLength > 0 ? min(contextLength, trained) : trained
        let kvHeads = metadata.integer("\(architecture).attention.head_count_kv") ?? heads
        let headSize = Int64(embedding) / heads
        let keySize = metadata.integer("\(architecture).attention.key_length") ?? headSize
        let valueSize = metadata.integer("\(architecture).attention.value_length") ?? headSize
        let bytes = Int64(length) * layers * kvHeads * (keySize + valueSize) * 2
        return bytes > 0 ? UInt64(bytes) : nil
    }
}

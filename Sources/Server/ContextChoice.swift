import InferenceTypes

/// How large a context a request's `num_ctx` gets when its model loads: what it asks, cut to what the memory
/// budget leaves beside the weights for the KV cache of every slot (a `.gguf` model, whose header gives the
/// attention shape). The engine then keeps it within the trained length and never below the configured context.
enum ContextChoice {
    /// The context for `requested` tokens on `descriptor` with `slots` sequences (0 counts as 1).
    static func length(
        for descriptor: ModelDescriptor, requested: Int, slots: Int, memoryBudgetBytes: UInt64
    ) -> Int {
        guard descriptor.format == .gguf, memoryBudgetBytes != .max,
            let perToken = ParallelChoice.kvCacheBytes(ofModelAt: descriptor.path, contextLength: 1), perToken > 0
        else { return requested }
        let weights = UInt64(max(0, descriptor.sizeBytes))
        guard memoryBudgetBytes > weights else { return 0 }
        let fits = (memoryBudgetBytes - weights) / (perToken * UInt64(max(1, slots)))
        return min(requested, Int(clamping: fits))
    }
}

import CLlama

/// One sequence of the context: the tokens its KV cache holds, in position order, and the generation it serves.
///
/// A slot that finishes keeps its tokens, for the next request that shares their prefix.
/// Used only on the engine's model thread, by the batch loop.
final class LlamaSlot {
    /// The sequence id in the context.
    let sequence: llama_seq_id
    /// The tokens whose keys and values are in the sequence, in position order.
    var tokens: [llama_token] = []
    /// The work under way, `nil` when the slot is idle.
    var generation: LlamaGeneration?
    /// When the slot last took work (a step counter; 0: never).
    var lastUsed: UInt64 = 0

    init(sequence: llama_seq_id, capacity: Int) {
        self.sequence = sequence
        tokens.reserveCapacity(capacity)
    }

    /// Whether the slot can take work.
    var isIdle: Bool { generation == nil }
}

/// The token ids that end a model's answer, which the engine watches for itself: runtime 1.3.0 reads the EOS id
/// of a model converted with toolkit 1.2.2/1.2.3 wrongly (rknn-llm #534) and would generate until the token
/// limit; the engine stops the generation at the first of these ids instead.
struct RKLLMEndOfSequence: Sendable, Equatable {
    /// The ids, empty when neither the sidecar nor the family gives any (the runtime's own EOS is trusted then).
    let ids: Set<Int32>

    /// The sidecar's `eos_token_ids` when it has them, else the family's.
    init(sidecar: [Int]?, family: String) {
        if let sidecar, !sidecar.isEmpty {
            ids = Set(sidecar.compactMap { Int32(exactly: $0) })
        } else {
            ids = Set(Self.family(named: family))
        }
    }

    /// Whether `tokenID` ends the answer.
    func contains(_ tokenID: Int32) -> Bool {
        ids.contains(tokenID)
    }

    /// The EOS ids of the families whose tokenizer configuration says them, by the prefix of the model's name
    /// (the more specific prefix first). Families whose ids differ between versions are named by version.
    static let families: [(prefix: String, ids: [Int32])] = [
        // <｜end▁of▁sentence｜>
        ("deepseek-r1-distill-qwen", [151643]),
        // <|im_end|>, <|endoftext|>
        ("qwen", [151645, 151643]), ("qwq", [151645, 151643]),
        // <|eot_id|>, <|end_of_text|>, <|eom_id|>
        ("llama3", [128009, 128001, 128008]), ("llama-3", [128009, 128001, 128008]),
        // <eos>, <end_of_turn>
        ("gemma", [1, 106]),
        // <|im_end|>, <|endoftext|>
        ("smollm2", [2, 0]),
        // <|endoftext|>, <|end|>
        ("phi3", [32000, 32007]), ("phi-3", [32000, 32007]),
        // </s>, <|im_end|>
        ("minicpm3", [2, 73440]), ("minicpm4", [2, 73440]),
    ]

    /// The ids of the family `name` starts with; empty when it is not known.
    static func family(named name: String) -> [Int32] {
        let name = name.lowercased()
        return families.first { name.hasPrefix($0.prefix) }?.ids ?? []
    }
}

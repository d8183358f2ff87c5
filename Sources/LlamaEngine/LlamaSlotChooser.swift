import CLlama

/// Chooses the idle slot a new prompt runs in: the one whose cached tokens share the longest prefix with the
/// prompt, unless that prefix is at most half of the shorter of the slot's cache and the prompt; then the least
/// recently used idle slot, whose old conversation is worth keeping elsewhere before it is overwritten.
enum LlamaSlotChooser {
    /// An idle slot as the chooser sees it.
    struct Candidate {
        /// The slot's index in the loop.
        var index: Int
        /// The tokens the slot's sequence holds.
        var tokens: [llama_token]
        /// When the slot last took work (0: never).
        var lastUsed: UInt64
    }

    /// The slot chosen and what of its cache the prompt keeps.
    struct Choice: Equatable {
        /// The slot's index in the loop.
        var index: Int
        /// How many leading tokens of the slot's cache the prompt shares.
        var reused: Int
        /// Whether the slot's old tokens are replaced by another conversation's (worth keeping elsewhere).
        var evicts: Bool
    }

    /// The slot for `prompt` among `candidates`, `nil` when there are none.
    static func choose(for prompt: [llama_token], among candidates: [Candidate]) -> Choice? {
        var best: (candidate: Candidate, shared: Int)?
        for candidate in candidates {
            let shared = sharedPrefix(candidate.tokens, prompt)
            guard let current = best else {
                best = (candidate, shared)
                continue
            }
            if shared > current.shared
                || (shared == current.shared && candidate.tokens.count < current.candidate.tokens.count)
            {
                best = (candidate, shared)
            }
        }
        guard let best else { return nil }
        // Half of the shorter side: a repeated prompt whose slot also holds its long answer is still reused.
        if best.shared * 2 > min(best.candidate.tokens.count, prompt.count) {
            return Choice(index: best.candidate.index, reused: best.shared, evicts: false)
        }
        guard let leastRecent = candidates.min(by: { ($0.lastUsed, $0.tokens.count) < ($1.lastUsed, $1.tokens.count) })
        else { return nil }
        let shared = sharedPrefix(leastRecent.tokens, prompt)
        return Choice(index: leastRecent.index, reused: shared, evicts: shared < leastRecent.tokens.count)
    }

    /// How many leading tokens `a` and `b` share.
    static func sharedPrefix(_ a: [llama_token], _ b: [llama_token]) -> Int {
        let count = min(a.count, b.count)
        var index = 0
        while index < count, a[index] == b[index] { index += 1 }
        return index
    }
}

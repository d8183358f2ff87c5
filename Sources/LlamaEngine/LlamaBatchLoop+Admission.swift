import CLlama
import InferenceTypes

extension LlamaBatchLoop {
    /// Gives waiting work the idle slots, in arrival order; work that cannot start ends with its error at once.
    func admitWaiting() {
        while !waiting.isEmpty, slots.contains(where: \.isIdle) {
            let generation = waiting.removeFirst()
            guard !generation.cancellation.isCancelled else {
                generation.fail(.cancelled)
                continue
            }
            do throws(InferenceError) {
                try generation.start(model: context.model, size: context.size)
                try place(generation)
            } catch {
                generation.fail(error)
            }
        }
    }

    /// Puts started work into the idle slot that already holds most of its prompt, and trims that slot's
    /// cache to the shared prefix.
    private func place(_ generation: LlamaGeneration) throws(InferenceError) {
        let prompt = generation.prompt
        let candidates = slots.indices.filter { slots[$0].isIdle }.map {
            LlamaSlotChooser.Candidate(index: $0, tokens: slots[$0].tokens, lastUsed: slots[$0].lastUsed)
        }
        guard let choice = LlamaSlotChooser.choose(for: prompt, among: candidates) else {
            throw .engineFailure("no free slot")
        }
        let slot = slots[choice.index]
        var reused: Int
        if let use = generation.request.promptCache {
            reused = try load(use, into: slot, for: prompt)
        } else {
            if choice.evicts { states?.keep(slot.tokens, of: slot.sequence, in: context) }
            reused = choice.reused
            if let states {
                let restored = states.restore(
                    prefixOf: prompt, longerThan: reused, into: slot.sequence, in: context)
                if !restored.isEmpty {
                    slot.tokens = restored
                    reused = LlamaSlotChooser.sharedPrefix(restored, prompt)
                }
            }
        }
        // The last prompt token is always evaluated again: its logits choose the first new token.
        reused = min(reused, prompt.count - 1)
        if reused < slot.tokens.count {
            if !context.removePositions(of: slot.sequence, from: reused) {
                slot.tokens.removeAll(keepingCapacity: true)
                reused = 0
            }
            slot.tokens.removeLast(slot.tokens.count - reused)
        }
        generation.evaluated = reused
        generation.cached = reused
        clock += 1
        slot.lastUsed = clock
        slot.generation = generation
    }

    /// Starts the slot from a named prompt cache; returns how many prompt tokens it holds.
    private func load(_ use: PromptCacheUse, into slot: LlamaSlot, for prompt: [llama_token]) throws(InferenceError)
        -> Int
    {
        guard let states else { throw .invalidRequest("prompt caches are off") }
        if !slot.tokens.isEmpty { states.keep(slot.tokens, of: slot.sequence, in: context) }
        context.removePositions(of: slot.sequence, from: 0)
        slot.tokens.removeAll(keepingCapacity: true)
        let loaded: [llama_token]
        do {
            loaded = try states.load(use.path, into: slot.sequence, in: context)
        } catch {
            context.removePositions(of: slot.sequence, from: 0)
            throw error
        }
        guard loaded.count <= prompt.count, prompt.starts(with: loaded) else {
            context.removePositions(of: slot.sequence, from: 0)
            throw .invalidRequest(
                "the prompt does not begin with the cached prompt (\(loaded.count) tokens); send the cached text first")
        }
        slot.tokens = loaded
        return loaded.count
    }
}

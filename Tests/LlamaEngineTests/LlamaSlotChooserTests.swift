import CLlama
import Testing

@testable import LlamaEngine

/// Which idle slot a new prompt runs in.
@Suite struct LlamaSlotChooserTests {
    private func candidate(_ index: Int, _ tokens: [llama_token], used: UInt64) -> LlamaSlotChooser.Candidate {
        LlamaSlotChooser.Candidate(index: index, tokens: tokens, lastUsed: used)
    }

    @Test("the slot holding the longest prefix of the prompt is chosen, keeping that prefix")
    func longestPrefixWins() {
        let choice = LlamaSlotChooser.choose(
            for: [1, 2, 3, 4, 5, 9],
            among: [candidate(0, [1, 2, 7], used: 1), candidate(1, [1, 2, 3, 4, 5, 6], used: 2)])
        #expect(choice == LlamaSlotChooser.Choice(index: 1, reused: 5, evicts: false))
    }

    @Test("a prefix shorter than half the slot's cache leaves that conversation alone: an unused slot is taken")
    func shortPrefixTakesTheLeastRecentlyUsed() {
        let choice = LlamaSlotChooser.choose(
            for: [1, 2, 30, 31],
            among: [candidate(0, [1, 2, 3, 4, 5, 6, 7, 8], used: 5), candidate(1, [], used: 0)])
        #expect(choice == LlamaSlotChooser.Choice(index: 1, reused: 0, evicts: false))
    }

    @Test("when every idle slot holds another conversation, the least recently used one is replaced and kept")
    func evictionOfTheLeastRecentlyUsed() {
        let choice = LlamaSlotChooser.choose(
            for: [1, 2, 30, 31],
            among: [candidate(0, [1, 2, 3, 4, 5, 6], used: 5), candidate(1, [1, 9, 9, 9, 9], used: 3)])
        #expect(choice == LlamaSlotChooser.Choice(index: 1, reused: 1, evicts: true))
    }

    @Test("no idle slot, no choice")
    func noCandidates() {
        #expect(LlamaSlotChooser.choose(for: [1], among: []) == nil)
    }
}

import CLlama
import InferenceTypes

/// The host-memory cache of recent prompts' KV state, and the files of named prompt caches.
///
/// A sequence's state is copied out (`llama_state_seq_get_data`) with the tokens it holds before its slot is
/// reused, and copied back (`llama_state_seq_set_data`) into an empty sequence when a prompt starting with
/// those tokens comes again. The kept states stay within `capacityBytes`, least recently used out first.
///
/// Used only on the engine's model thread.
final class LlamaStateCache: LlamaSequenceStates {
    /// One kept state: the tokens a sequence held, and its bytes.
    private struct Entry {
        var tokens: [llama_token]
        var state: [UInt8]
    }

    let api: LlamaAPI
    /// The most bytes of state kept at once.
    let capacityBytes: Int
    /// The kept states, least recently used first.
    private var entries: [Entry] = []
    /// The bytes of every kept state.
    private(set) var keptBytes = 0

    /// Creates an empty cache that keeps at most `capacityBytes` of state (0 keeps none).
    init(api: LlamaAPI, capacityBytes: Int) {
        self.api = api
        self.capacityBytes = max(0, capacityBytes)
    }

    /// The token sequences of the kept states, least recently used first.
    var keptTokens: [[llama_token]] { entries.map(\.tokens) }

    func keep(_ tokens: [llama_token], of sequence: llama_seq_id, in context: LlamaContext) {
        guard !tokens.isEmpty, capacityBytes > 0 else { return }
        if let index = entries.firstIndex(where: { $0.tokens.starts(with: tokens) }) {
            // A kept state already holds these tokens, and maybe more.
            markUsed(index)
            return
        }
        let size = api.stateSeqGetSize(context.handle, sequence)
        guard size > 0, size <= capacityBytes else { return }
        var failed = false
        let state = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            // llama.cpp writes at most `size` bytes into the buffer, which holds `size`.
            let written = api.stateSeqGetData(context.handle, buffer.baseAddress, size, sequence)
            failed = written != size
            count = failed ? 0 : size
        }
        guard !failed else { return }
        removeEntries { tokens.starts(with: $0.tokens) }
        while keptBytes + size > capacityBytes, !entries.isEmpty {
            keptBytes -= entries.removeFirst().state.count
        }
        entries.append(Entry(tokens: tokens, state: state))
        keptBytes += size
    }

    /// Restores at most all but the prompt's last token, whose logits the caller computes to choose the first
    /// new token.
    func restore(
        prefixOf prompt: [llama_token], longerThan minimum: Int, into sequence: llama_seq_id,
        in context: LlamaContext
    ) -> [llama_token] {
        var best: (index: Int, common: Int)?
        for (index, entry) in entries.enumerated() {
            let common = min(zip(entry.tokens, prompt).prefix { $0 == $1 }.count, prompt.count - 1)
            if common > (best?.common ?? max(0, minimum)) { best = (index, common) }
        }
        guard let best else { return [] }
        let memory = api.getMemory(context.handle)
        _ = api.memorySeqRm(memory, sequence, -1, -1)
        let entry = entries[best.index]
        let restored = entry.state.withUnsafeBufferPointer { state in
            // llama.cpp reads at most `state.count` bytes from the buffer.
            api.stateSeqSetData(context.handle, state.baseAddress, state.count, sequence)
        }
        guard restored > 0 else {
            _ = api.memorySeqRm(memory, sequence, -1, -1)
            return []
        }
        markUsed(best.index)
        if best.common < entry.tokens.count, !api.memorySeqRm(memory, sequence, Int32(best.common), -1) {
            _ = api.memorySeqRm(memory, sequence, -1, -1)
            return []
        }
        return Array(prompt[..<best.common])
    }

    /// Empties the cache.
    func removeAll() {
        entries.removeAll()
        keptBytes = 0
    }

    private func markUsed(_ index: Int) {
        entries.append(entries.remove(at: index))
    }

    private func removeEntries(where shouldRemove: (Entry) -> Bool) {
        entries.removeAll { entry in
            guard shouldRemove(entry) else { return false }
            keptBytes -= entry.state.count
            return true
        }
    }
}

import CLlama
import InferenceTypes

/// What the batch loop asks of the keeper of sequence states: a host-memory cache of recent prompts' KV
/// state, so that a slot reused for another conversation does not throw the old one's prefix away, and the
/// files of named prompt caches.
///
/// Called only on the engine's model thread.
protocol LlamaSequenceStates: AnyObject {
    /// Copies the KV state of `sequence`, which holds `tokens`, out of the context before the slot is reused.
    func keep(_ tokens: [llama_token], of sequence: llama_seq_id, in context: LlamaContext)

    /// Restores into `sequence` (empty) the kept state that shares the longest prefix with `prompt`, when that
    /// prefix is longer than `minimum` tokens; returns the tokens now in the sequence (empty when none).
    func restore(
        prefixOf prompt: [llama_token], longerThan minimum: Int, into sequence: llama_seq_id,
        in context: LlamaContext
    ) -> [llama_token]

    /// Writes the KV state of `sequence`, which holds `tokens`, to the file at `path`; returns its size in bytes.
    func save(
        _ sequence: llama_seq_id, holding tokens: [llama_token], in context: LlamaContext, to path: String
    ) throws(InferenceError) -> UInt64

    /// Reads the state in the file at `path` into `sequence` (empty); returns the tokens it holds.
    func load(_ path: String, into sequence: llama_seq_id, in context: LlamaContext) throws(InferenceError)
        -> [llama_token]
}

import CLlama
import EngineSupport
import InferenceTypes
import Logging
import Synchronization

/// Owns one llama.cpp grammar sampler: it tells which tokens a GBNF grammar allows next and follows the
/// tokens that were generated.
///
/// Used only on the engine's model thread, by the `LlamaSampler` that made it.
final class LlamaGrammar {
    private let api: LlamaAPI
    private let handle: OpaquePointer

    /// Parses `grammar` (root rule `root`) for the model's vocabulary; a grammar llama.cpp cannot parse is the
    /// request's fault, answered with llama.cpp's reason. llama.cpp prints a grammar it refuses to standard
    /// error in full: that copy is caught, and the grammar is logged at debug level only.
    init(model: LlamaModel, grammar: String) throws(InferenceError) {
        let api = model.api
        self.api = api
        lastLlamaError.withLock { $0 = nil }
        let (sampler, caught) = StandardErrorCapture.run(
            hiding: grammar, replacement: "<the grammar, \(grammar.utf8.count) bytes, logged at debug level>"
        ) { api.samplerInitGrammar(model.vocab, grammar, "root") }
        guard let handle = sampler else {
            if caught.contains(grammar) { llamaLogger.debug("refused grammar:\n\(grammar)") }
            let reason = caught.split(separator: "\n").lazy.compactMap { line in
                line.firstRange(of: "error parsing grammar: ").map { String(line[$0.upperBound...].prefix(300)) }
            }.first
            let detail =
                reason ?? lastLlamaError.withLock { $0 }.flatMap { $0.contains("failed to parse grammar") ? nil : $0 }
            throw .invalidRequest("failed to parse grammar" + (detail.map { ": \($0)" } ?? ""))
        }
        self.handle = handle
    }

    deinit {
        api.samplerFree(handle)
    }

    /// Whether the grammar allows `token` next.
    func allows(_ token: llama_token) -> Bool {
        var candidate = llama_token_data(id: token, logit: 0, p: 0)
        // The array points at `candidate` only for the duration of the call.
        withUnsafeMutablePointer(to: &candidate) { pointer in
            var array = llama_token_data_array(data: pointer, size: 1, selected: -1, sorted: false)
            api.samplerApply(handle, &array)
        }
        return candidate.logit != -Float.infinity
    }

    /// Sets the logit of every candidate the grammar does not allow next to minus infinity.
    func constrain(_ candidates: inout llama_token_data_array) {
        api.samplerApply(handle, &candidates)
    }

    /// Moves the grammar past `token`, which it must allow.
    func accept(_ token: llama_token) {
        api.samplerAccept(handle, token)
    }
}

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
        let note = "<the grammar, \(grammar.utf8.count) bytes, logged at debug level>"
        let (sampler, caught) = StandardErrorCapture.run(
            { api.samplerInitGrammar(model.vocab, grammar, "root") },
            showing: { Self.shown($0, hiding: grammar, replacement: note) })
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

    /// The longest line of the parser's output written back; a parse error's "at <the rest of the grammar>" is
    /// cut there.
    static let maxLineLength = 300

    /// The parser's output as the log shows it: the grammar replaced by a note, each line cut at `maxLineLength`.
    static func shown(_ caught: String, hiding grammar: String, replacement: String) -> String {
        let hidden = grammar.isEmpty ? caught : caught.replacing(grammar, with: replacement)
        return hidden.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.count > maxLineLength ? line.prefix(maxLineLength) + "..." : String(line)
        }.joined(separator: "\n")
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

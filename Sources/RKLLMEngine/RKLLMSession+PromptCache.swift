import CRKLLM
import EngineSupport
import Glibc
import InferenceTypes

extension RKLLMSession {
    /// Prefixes shorter than this are not worth a file: their prefill takes less time than loading one.
    static let minimumCachedPrefixBytes = 200

    /// Makes the runtime start this request from a saved prefill, when it can: the named cache the request
    /// asks for, else the file of its prompt's prefix (saved now, the first time the prefix is seen). Returns
    /// the prompt tokens the file holds (0 when none applies). Call before the request's template is applied:
    /// saving a prefix runs the model with a template of its own.
    func preparePromptCache(for request: EngineRequest, thinking: Bool, on handle: RKLLMHandle)
        throws(InferenceError) -> Int
    {
        if let named = request.promptCache {
            guard handle.loadPromptCache(named.path) else {
                throw .invalidRequest("the prompt cache file of this request could not be loaded by the RKLLM runtime")
            }
            return named.tokens
        }
        guard let files = promptCacheFiles, let prefix = cacheablePrefix(of: request, thinking: thinking),
            prefix.utf8.count >= Self.minimumCachedPrefixBytes
        else { return 0 }
        let key = RKLLMPromptCacheFiles.key(prefix: prefix, identity: identity)
        if let entry = files.lookup(key) {
            return handle.loadPromptCache(entry.path) ? entry.tokens : 0
        }
        handle.releasePromptCache()
        guard let tokens = savePrefill(of: prefix, to: files.partialPath(for: key), on: handle),
            let entry = files.add(key, tokens: tokens)
        else { return 0 }
        return handle.loadPromptCache(entry.path) ? entry.tokens : 0
    }

    /// Evaluates `input` and writes its prefill to `path` (a named cache). Runs on the model thread.
    func savePromptCache(of input: GenerationInput, to path: String) throws(InferenceError) -> SavedPromptCache {
        guard let handle = currentHandle else {
            throw .engineFailure("the model \(configuration.name) was unloaded")
        }
        let text: String
        switch input {
        case .text(let raw), .rendered(let raw): text = raw
        case .chat(let messages):
            guard let format = configuration.format else {
                text = Self.plainText(messages)
                break
            }
            let rendered = format.render(messages, thinking: false)
            text = rendered.systemPrompt.isEmpty ? rendered.input : rendered.systemPrompt
        }
        guard !text.isEmpty else { throw .invalidRequest("the prompt to cache is empty") }
        handle.releasePromptCache()
        let partial = path + ".partial"
        guard let tokens = savePrefill(of: text, to: partial, on: handle) else {
            unlink(partial)
            throw .engineFailure("the RKLLM runtime did not save the prompt cache")
        }
        var status = stat()
        guard stat(partial, &status) == 0, rename(partial, path) == 0 else {
            unlink(partial)
            throw .engineFailure("the RKLLM runtime did not save the prompt cache")
        }
        return SavedPromptCache(tokens: tokens, bytes: UInt64(max(0, status.st_size)))
    }

    /// The leading text of the input the runtime will see that later requests are likely to share: the
    /// system prompt the runtime puts first, or the core's rendered system turn. `nil` with tools (the runtime
    /// then writes the system part itself) or when the prompt has none.
    func cacheablePrefix(of request: EngineRequest, thinking: Bool) -> String? {
        guard request.tools.isEmpty else { return nil }
        switch request.input {
        case .rendered(let text):
            guard let prefix = request.cachePrefix, !prefix.isEmpty, text.hasPrefix(prefix) else { return nil }
            return prefix
        case .chat(let messages):
            guard let format = configuration.format else { return nil }
            let system = format.render(messages, thinking: thinking).systemPrompt
            return system.isEmpty ? nil : system
        case .text:
            return nil
        }
    }

    /// One run that evaluates `text` alone with an empty template, writes its prefill to `path` and stops at
    /// the first token. Returns the tokens it prefilled, `nil` when the runtime failed or wrote no file.
    private func savePrefill(of text: String, to path: String, on handle: RKLLMHandle) -> Int? {
        let (_, continuation) = AsyncThrowingStream.makeStream(of: EngineEvent.self)
        defer { continuation.finish() }
        let generation = RKLLMGeneration(
            continuation: continuation, cancellation: CancellationFlag(), maxTokens: 1, stops: [])
        handle.applyTools(nil)
        handle.applyTemplate(system: "", prefix: "", postfix: "")
        let status = withExtendedLifetime(generation) {
            handle.run(
                input: text, role: "user", thinking: false, maxNewTokens: 1, sampling: configuration.sampling,
                userdata: Unmanaged.passUnretained(generation).toOpaque(), savingPromptCacheTo: path)
        }
        // Stopped at its first token, the run left the prefix in the KV cache.
        handle.clearHistory()
        var status2 = stat()
        guard status == 0, !generation.failed, stat(path, &status2) == 0, status2.st_size > 0 else { return nil }
        return Int(generation.perf?.prefill_tokens ?? 0)
    }
}

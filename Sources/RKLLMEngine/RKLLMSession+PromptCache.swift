import CRKLLM
import EngineSupport
import Glibc
import InferenceTypes

extension RKLLMSession {
    /// Prefixes shorter than this are not worth a file: their prefill takes less time than loading one.
    static let minimumCachedPrefixBytes = 200

    /// Makes the runtime start this run from a saved prefill, when one applies to its first request: the named
    /// cache it asks for, else the file of its prompt's prefix (saved now, the first time the prefix is seen).
    /// Returns the path of the file the runtime has loaded for it and whether it was saved just now, `nil` when
    /// none applies. Call before the run's template is applied: saving a prefix runs the model with a template
    /// of its own.
    ///
    /// Throws `.invalidRequest` when the named cache cannot be loaded.
    func preparePromptCache(for plan: RKLLMRunPlan, on handle: RKLLMHandle) throws(InferenceError)
        -> (path: String, savedNow: Bool)?
    {
        if let named = plan.promptCache {
            guard handle.loadPromptCache(named.path) else {
                throw .invalidRequest("the prompt cache file of this request could not be loaded by the RKLLM runtime")
            }
            return (named.path, false)
        }
        guard let files = promptCacheFiles, let key = cacheKey(of: plan) else { return nil }
        if let entry = files.lookup(key) {
            return handle.loadPromptCache(entry.path) ? (entry.path, false) : nil
        }
        handle.releasePromptCache()
        guard let tokens = savePrefill(of: plan.cachePrefix ?? "", to: files.partialPath(for: key), on: handle),
            let entry = files.add(key, tokens: tokens)
        else { return nil }
        return handle.loadPromptCache(entry.path) ? (entry.path, true) : nil
    }

    /// The prompt tokens that the loaded file at `loaded` holds for `plan`: all of the file's when it is the
    /// plan's own (its named cache or its prefix's file), else none (the runtime matches from the start, and
    /// another prompt does not begin with it).
    func cachedTokens(of plan: RKLLMRunPlan, loaded: String?) -> Int {
        guard let loaded else { return 0 }
        if let named = plan.promptCache { return named.path == loaded ? named.tokens : 0 }
        guard let key = cacheKey(of: plan), let entry = promptCacheFiles?.entry(key), entry.path == loaded else {
            return 0
        }
        return entry.tokens
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
        guard let tokens = savePrefill(of: text, to: partial, on: handle),
            let status = try? ModelFile.status(of: partial), rename(partial, path) == 0
        else {
            unlink(partial)
            throw .engineFailure("the RKLLM runtime did not save the prompt cache")
        }
        return SavedPromptCache(tokens: tokens, bytes: UInt64(max(0, status.size)))
    }

    /// The leading text of the input the runtime will see that later requests are likely to share: the
    /// system prompt the runtime puts first (`runtimeSystemPrompt`, the template piece the plan already
    /// rendered), or the core's rendered system turn. `nil` with tools (the runtime then writes the system part
    /// itself), when the prompt has none, when it is too short to be worth it, and with a LoRA adapter (the
    /// files hold the base model's prefill, which an adapter's would not match).
    static func cacheablePrefix(of request: EngineRequest, runtimeSystemPrompt: String?) -> String? {
        guard request.tools.isEmpty, request.promptCache == nil, request.lora == nil else { return nil }
        let prefix: String?
        switch request.input {
        case .rendered(let text):
            guard let core = request.cachePrefix, text.hasPrefix(core) else { return nil }
            prefix = core
        case .chat:
            prefix = runtimeSystemPrompt
        case .text:
            prefix = nil
        }
        guard let prefix, prefix.utf8.count >= minimumCachedPrefixBytes else { return nil }
        return prefix
    }

    private func cacheKey(of plan: RKLLMRunPlan) -> String? {
        plan.cachePrefix.map { RKLLMPromptCacheFiles.key(prefix: $0, identity: identity) }
    }

    /// One run that evaluates `text` alone with an empty template, writes its prefill to `path` and stops at
    /// the first token. Returns the tokens it prefilled, `nil` when the runtime failed or wrote no file.
    private func savePrefill(of text: String, to path: String, on handle: RKLLMHandle) -> Int? {
        let (_, continuation) = AsyncThrowingStream.makeStream(of: EngineEvent.self)
        defer { continuation.finish() }
        let input = RKLLMInputText(text: text, role: "user", thinking: false)
        let plan = RKLLMRunPlan(
            input: input, settings: RKLLMRunSettings(template: ["", "", ""], tools: nil, sampling: nil),
            sampling: configuration.sampling, maxTokens: 1, stops: [], cancellation: CancellationFlag(),
            continuation: continuation, submitted: MonotonicClock.now())
        let member = RKLLMGeneration(plan: plan)
        let width = configuration.batchSize
        let batch = RKLLMBatch(members: [member], width: width, start: MonotonicClock.now())
        handle.applyTools(nil)
        handle.applyTemplate(system: "", prefix: "", postfix: "")
        let status = withExtendedLifetime(batch) {
            handle.run(
                inputs: [input] + Array(repeating: Self.padding, count: width - 1), maxNewTokens: 1,
                sampling: configuration.sampling,
                userdata: Unmanaged.passUnretained(batch).toOpaque(), savingPromptCacheTo: path)
        }
        // Stopped at its first token, the run left the prefix in the KV cache.
        handle.clearHistory()
        guard status == 0, !batch.failed, let written = try? ModelFile.status(of: path), written.size > 0 else {
            return nil
        }
        return Int(member.perf?.prefill_tokens ?? 0)
    }
}

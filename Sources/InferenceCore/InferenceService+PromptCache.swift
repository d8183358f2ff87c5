import Conversation
import EngineSupport
import FoundationEssentials
import Glibc
public import InferenceTypes
import ModelStore

extension InferenceService {
    /// The named prompt caches of the models directory.
    var promptCacheStore: PromptCacheStore { PromptCacheStore(modelsDirectory: registry.directory) }

    /// Makes (or replaces) the named prompt cache `name` of the system prompt `prompt` on the model of that
    /// name, loading it first when needed: the prompt is rendered as the start of a conversation with the
    /// model's template (or handed to an engine that formats conversations itself as a system message), and
    /// the engine saves the state it leaves, in turn with the model's generations.
    ///
    /// Throws `.invalidRequest` for a name no cache can have, an empty prompt, a template that does not begin
    /// conversations with their system prompt, or an engine that cannot save its state.
    public func savePromptCache(model name: String, name cacheName: String, prompt: String) async throws
        -> PromptCacheEntry
    {
        try PromptCacheStore.check(name: cacheName)
        guard !prompt.isEmpty else { throw InferenceError.invalidRequest("'prompt' must not be empty") }
        let descriptor = try model(named: name)
        let store = promptCacheStore
        let lease = try await manager.acquire(descriptor, keepAlive: nil)
        do {
            let input = try await lease.conversation.cacheInput(systemPrompt: prompt)
            _ = try await lease.scheduler.admit()
            defer { lease.scheduler.leave() }
            let temporary = try store.temporaryStatePath(cacheName, of: descriptor)
            let entry: PromptCacheEntry
            do {
                let saved = try await lease.engine.savePromptCache(of: input, to: temporary)
                let text: String
                switch input {
                case .rendered(let rendered), .text(let rendered): text = rendered
                case .chat: text = prompt
                }
                entry = PromptCacheEntry(
                    name: cacheName, model: descriptor.id, modelFile: descriptor.fileName,
                    modelBytes: descriptor.sizeBytes, runtimeVersion: lease.engine.info.runtimeVersion,
                    prompt: prompt, text: text, tokens: saved.tokens,
                    bytes: saved.bytes > 0
                        ? saved.bytes : UInt64(max(0, (try? ModelFile.status(of: temporary))?.size ?? 0)),
                    created: Int(Date().timeIntervalSince1970))
                try store.commit(entry, stateAt: temporary, of: descriptor)
            } catch {
                store.discard(temporary)
                throw error
            }
            await lease.releaseNow()
            return entry
        } catch {
            await lease.releaseNow()
            throw error
        }
    }

    /// The named prompt caches of the model of that name, by name; they are files, so the model need not be
    /// loaded.
    public func promptCaches(model name: String) throws(InferenceError) -> [PromptCacheEntry] {
        promptCacheStore.entries(of: try model(named: name))
    }

    /// Deletes the named prompt cache `name` of the model of that name; `.promptCacheNotFound` when it has
    /// none.
    public func deletePromptCache(model name: String, name cacheName: String) throws(InferenceError) {
        try promptCacheStore.remove(cacheName, of: try model(named: name))
    }

    /// The cache a request names (`use_cache`), checked against the loaded model: `.promptCacheNotFound` when
    /// the model has none of that name, `.promptCacheMismatch` when it was made with another model file or
    /// runtime version.
    func promptCache(_ cacheName: String, for lease: ModelLease) throws(InferenceError) -> PromptCacheEntry {
        let descriptor = lease.descriptor
        let entry = try promptCacheStore.entry(cacheName, of: descriptor)
        guard entry.modelFile == descriptor.fileName, entry.modelBytes == descriptor.sizeBytes else {
            throw .promptCacheMismatch(
                "prompt cache '\(cacheName)' was made with the model file \(entry.modelFile) (\(entry.modelBytes) "
                    + "bytes), not \(descriptor.fileName) (\(descriptor.sizeBytes) bytes); make it again")
        }
        let runtime = lease.engine.info.runtimeVersion
        guard entry.runtimeVersion == runtime else {
            throw .promptCacheMismatch(
                "prompt cache '\(cacheName)' was made by the runtime '\(entry.runtimeVersion)', and model "
                    + "'\(descriptor.id)' runs on '\(runtime)'; make it again")
        }
        return entry
    }

    /// The conversation of a request that starts from `entry`: the cache's prompt becomes its system message
    /// when it has none (the original design's usage sends only the user's turn).
    static func input(_ input: GenerationInput, startingWith entry: PromptCacheEntry) -> GenerationInput {
        guard case .chat(let messages) = input, messages.first?.role != .system else { return input }
        return .chat([ChatMessage(role: .system, content: entry.prompt)] + messages)
    }

    /// Refuses (`.invalidRequest`) a prepared prompt that does not begin with the text the cache holds.
    static func check(_ input: GenerationInput, beginsWith entry: PromptCacheEntry) throws(InferenceError) {
        let begins: Bool
        switch input {
        case .rendered(let prompt), .text(let prompt): begins = prompt.hasPrefix(entry.text)
        case .chat(let messages): begins = messages.first?.role == .system && messages.first?.content == entry.text
        }
        guard begins else {
            throw .invalidRequest(
                "the prompt does not begin with the cached prompt of '\(entry.name)': send its system prompt "
                    + "unchanged first, or no system message")
        }
    }
}

public import InferenceTypes

extension InferenceServing {
    /// Refuses: this core keeps no prompt caches.
    public func savePromptCache(model name: String, name cacheName: String, prompt: String) async throws
        -> PromptCacheEntry
    {
        throw InferenceError.invalidRequest("this server keeps no prompt caches")
    }

    /// None: this core keeps no prompt caches.
    public func promptCaches(model name: String) throws(InferenceError) -> [PromptCacheEntry] {
        _ = try model(named: name)
        return []
    }

    /// Refuses: this core keeps no prompt caches.
    public func deletePromptCache(model name: String, name cacheName: String) throws(InferenceError) {
        throw .promptCacheNotFound(name: cacheName, model: name)
    }
}

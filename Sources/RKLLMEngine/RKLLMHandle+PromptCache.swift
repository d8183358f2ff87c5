import CRKLLM

extension RKLLMHandle {
    /// Makes later runs start from the prefill in the file at `path` (the runtime matches each input against it
    /// from the start); a file already loaded is released first. Returns whether the runtime took it.
    func loadPromptCache(_ path: String) -> Bool {
        if loadedPromptCache == path { return true }
        releasePromptCache()
        guard runtime.api.loadPromptCache(handle, path) == 0 else { return false }
        loadedPromptCache = path
        return true
    }

    /// Releases the loaded prompt-cache file, if any.
    func releasePromptCache() {
        guard loadedPromptCache != nil else { return }
        _ = runtime.api.releasePromptCache(handle)
        loadedPromptCache = nil
    }
}

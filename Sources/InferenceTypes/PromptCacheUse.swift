/// A saved prompt state a generation starts from: the named cache a client asked for (`use_cache`).
public struct PromptCacheUse: Sendable, Codable, Equatable {
    /// The file the engine wrote when the cache was made.
    public var path: String
    /// The prompt text whose state the file holds, as the engine was given it; the request's prompt begins with it.
    public var text: String
    /// The tokens the file holds.
    public var tokens: Int

    /// Describes a saved prompt state.
    public init(path: String, text: String, tokens: Int) {
        self.path = path
        self.text = text
        self.tokens = tokens
    }
}

/// What an engine reports after saving a prompt's state to a file (`Engine.savePromptCache`).
public struct SavedPromptCache: Sendable, Codable, Equatable {
    /// The tokens the state holds.
    public var tokens: Int
    /// The size of the file in bytes.
    public var bytes: UInt64

    /// Describes a saved state.
    public init(tokens: Int, bytes: UInt64) {
        self.tokens = tokens
        self.bytes = bytes
    }
}

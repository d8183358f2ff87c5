/// What a model can really do, from its chat template and its engine: what `/api/show` and `/api/tags` list as
/// `capabilities`, and what the other dialects check a request against.
public struct ModelCapabilities: Sendable, Hashable, Codable {
    /// It generates text (every model that is not an embedding model).
    public var completion: Bool
    /// It takes tools: its template renders them, or the core's generic tool prompt does.
    public var tools: Bool
    /// It can think (reasoning tags or an `enable_thinking` switch in its template, or its engine says so).
    public var thinking: Bool
    /// It computes embeddings.
    public var embedding: Bool
    /// It reads images.
    public var vision: Bool

    /// Creates capabilities.
    public init(
        completion: Bool = true, tools: Bool = false, thinking: Bool = false, embedding: Bool = false,
        vision: Bool = false
    ) {
        self.completion = completion
        self.tools = tools
        self.thinking = thinking
        self.embedding = embedding
        self.vision = vision
    }

    /// Ollama's names for them, in Ollama's order (`completion`, `tools`, `vision`, `embedding`, `thinking`).
    public var names: [String] {
        var names: [String] = []
        if completion { names.append("completion") }
        if tools { names.append("tools") }
        if vision { names.append("vision") }
        if embedding { names.append("embedding") }
        if thinking { names.append("thinking") }
        return names
    }
}

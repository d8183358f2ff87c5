/// What clients are told about a model without loading it: family, size, quantization, context.
public struct ModelDetails: Sendable, Equatable {
    /// The architecture or family (`llama`, `qwen3`).
    public var family: String
    /// The parameter count as a label (`135M`, `0.6B`), empty when unknown.
    public var parameterSize: String
    /// The quantization (`Q4_1`, `W8A8`), empty when unknown.
    public var quantization: String
    /// The context length the model supports.
    public var contextLength: Int
    /// The embedding width, when known.
    public var embeddingLength: Int?
    /// The chat template stored in the file (GGUF), when there is one.
    public var chatTemplate: String?
    /// Why the file's header could not be read, `nil` when it could; the other values are then guesses
    /// from the file name, and the model will not load.
    public var problem: ModelFileError?
    /// Whether the model is meant for embeddings, not for generating text (a GGUF header's encoder
    /// architecture, pooling type or non-causal attention).
    public var isEmbeddingModel = false

    /// Creates details.
    public init(
        family: String, parameterSize: String, quantization: String, contextLength: Int, embeddingLength: Int?,
        chatTemplate: String?, problem: ModelFileError?
    ) {
        self.family = family
        self.parameterSize = parameterSize
        self.quantization = quantization
        self.contextLength = contextLength
        self.embeddingLength = embeddingLength
        self.chatTemplate = chatTemplate
        self.problem = problem
    }
}

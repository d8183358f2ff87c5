/// The input of a generation: a conversation, a raw prompt, or a conversation the core already rendered.
public enum GenerationInput: Sendable, Hashable, Codable {
    /// A conversation, rendered through the model's chat template.
    case chat([ChatMessage])
    /// A raw prompt, tokenized as it is (the model's BOS token is added when the model wants one).
    case text(String)
    /// A conversation the core already rendered through the model's chat template: special tokens in it
    /// are parsed and no BOS token is added.
    case rendered(String)

    /// The size of the input in UTF-8 bytes.
    public var byteCount: Int {
        switch self {
        case .chat(let messages): messages.reduce(0) { $0 + $1.content.utf8.count }
        case .text(let text), .rendered(let text): text.utf8.count
        }
    }
}

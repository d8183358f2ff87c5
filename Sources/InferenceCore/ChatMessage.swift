/// One message of a conversation, as the core sees it after an API dialect decoded it.
public struct ChatMessage: Sendable, Hashable, Codable {
    /// Who speaks. Dialects map their own spellings (`developer` is `system`) before building a message.
    public enum Role: String, Sendable, Hashable, Codable {
        case system, user, assistant, tool
    }

    /// The speaker of this message.
    public var role: Role
    /// The text of the message.
    public var content: String

    /// Creates a message.
    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }
}

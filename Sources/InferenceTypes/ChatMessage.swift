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
    /// The reasoning an assistant message carried (sent back by clients that keep it); `nil` when none.
    public var reasoning: String?
    /// The tools an assistant message called.
    public var toolCalls: [ToolCall]
    /// For a tool result: the id of the call it answers, when the client sent one.
    public var toolCallID: String?
    /// For a tool result: the name of the tool that produced it, when the client sent one.
    public var toolName: String?
    /// The images the message carries, in the order the client sent them; they come before its text. Only
    /// models with the `vision` capability take them.
    public var images: [ImageData] = []

    /// Creates a message.
    public init(
        role: Role, content: String, reasoning: String? = nil, toolCalls: [ToolCall] = [], toolCallID: String? = nil,
        toolName: String? = nil
    ) {
        self.role = role
        self.content = content
        self.reasoning = reasoning
        self.toolCalls = toolCalls
        self.toolCallID = toolCallID
        self.toolName = toolName
    }
}

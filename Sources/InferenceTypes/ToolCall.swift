/// A call of one of the request's tools, as the model wrote it or as a client sends it back.
public struct ToolCall: Sendable, Hashable, Codable {
    /// The call's id (`call_…`); clients echo it in the tool result.
    public var id: String
    /// The function's name.
    public var name: String
    /// The arguments: the JSON text of an object, keys in the model's order.
    public var arguments: String

    /// Creates a call.
    public init(id: String, name: String, arguments: String) {
        self.id = id
        self.name = name
        self.arguments = arguments
    }
}

/// Which tools the model may call (OpenAI's `tool_choice`).
public enum ToolChoice: Sendable, Hashable, Codable {
    /// The model decides.
    case auto
    /// No tool calls; the tools are not shown to the model.
    case none
    /// The model must call at least one tool.
    case required
    /// The model must call this function.
    case function(String)

    /// Whether the model must call a tool.
    public var forcesACall: Bool {
        switch self {
        case .required, .function: true
        case .auto, .none: false
        }
    }
}

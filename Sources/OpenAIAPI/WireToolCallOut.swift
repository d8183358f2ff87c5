import InferenceCore
import InferenceTypes

/// A tool call as an answer carries it: `{index?, id, type: "function", function: {name, arguments}}`, the
/// arguments a JSON string. Streamed calls carry their `index`.
struct WireToolCallOut: Encodable, Sendable {
    struct Function: Encodable, Sendable {
        var name: String
        var arguments: String
    }

    var index: Int?
    var id: String
    var type = "function"
    var function: Function

    init(_ call: ToolCall, index: Int? = nil) {
        self.index = index
        id = call.id
        function = Function(name: call.name, arguments: call.arguments)
    }
}

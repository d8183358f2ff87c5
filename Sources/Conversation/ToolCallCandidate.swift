import InferenceTypes
import OrderedJSON
import SchemaGrammar

/// A tool call being read: where its JSON is and what is still expected.
struct ToolCallCandidate: Sendable {
    /// How the call is written.
    enum Kind: Sendable, Equatable {
        /// `<tool_call>{…}</tool_call>`.
        case tagged
        /// `<|python_tag|>{…}`.
        case pythonTag
        /// `[TOOL_CALLS][…]` or `[TOOL_CALLS]name[ARGS]{…}`.
        case bracketed
        /// A bare `{…}` (or `[…]`).
        case bare
    }

    /// What comes next.
    enum Phase: Sendable, Equatable {
        /// White space, then the JSON (or, for Mistral, a function name).
        case seekJSON
        /// Mistral's function name, up to `[ARGS]`, starting at an index.
        case header(start: Int)
        /// The JSON value that starts at an index.
        case json(start: Int)
        /// White space, then `</tool_call>`.
        case closingTag
    }

    /// How the call is written.
    var kind: Kind
    /// What comes next.
    var phase: Phase
    /// The next index to read in the parser's held text, whose index 0 is where the call's text begins.
    var cursor: Int
    /// Follows the JSON.
    var scanner = JSONScanner()
    /// The JSON, once complete.
    var value: JSONValue?
    /// Mistral's function name and call id, when written before `[ARGS]`.
    var header: (name: String, id: String?)?
}

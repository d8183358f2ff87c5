import InferenceCore
import InferenceTypes
import OrderedJSON

/// Reads `response_format` in every shape clients send; the core compiles what it asks for into a grammar.
enum OpenAIResponseFormat {
    /// The format `response_format` asks for: free text for `text`; any JSON object for `json_object` without a
    /// schema; the schema of `{"type": "json_object", "schema"}`, `{"type": "json_schema", "json_schema":
    /// {"name", "schema", "strict"}}` and the flat `{"type": "json_schema", "schema"}`.
    static func format(_ value: JSONValue?) throws(OpenAIError) -> ResponseFormat {
        ResponseFormat(schema: try schema(value))
    }

    /// The schema a format asks for: `nil` for free text, `{}` for any JSON object.
    static func schema(_ value: JSONValue?) throws(OpenAIError) -> JSONValue? {
        guard let value, value != .null else { return nil }
        switch value["type"]?.stringValue {
        case "text":
            return nil
        case "json_object":
            return present(value["schema"]) ?? [:]
        case "json_schema":
            return present(value["json_schema"]?["schema"]) ?? present(value["schema"]) ?? [:]
        default:
            throw .invalidRequest(
                "response_format type must be one of \"text\", \"json_object\" or \"json_schema\"",
                param: "response_format")
        }
    }

    /// The value, or `nil` when it is absent or JSON `null`.
    private static func present(_ value: JSONValue?) -> JSONValue? {
        value == .null ? nil : value
    }
}

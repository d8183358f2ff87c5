import Conversation
import EngineSupport
public import InferenceTypes
import ModelStore
public import OrderedJSON
import SchemaGrammar

/// Turns the structured-output request of a dialect into the grammar an engine constrains decoding with.
public enum OutputConstraint {
    /// The GBNF grammar for a response format, `nil` for free text.
    ///
    /// `responseFormat` is the format reduced to a schema by the dialect: `nil` or JSON `null` for free text,
    /// an empty object (`{}`) for any JSON object, else a JSON Schema. A schema the converter cannot handle
    /// is `.invalidRequest`.
    public static func grammar(for responseFormat: JSONValue?) throws(InferenceError) -> String? {
        switch responseFormat {
        case nil, .null?:
            return nil
        case .object(let members)? where members.isEmpty:
            return JSONSchemaGrammar.anyJSONObject
        case .object?, .bool(true)?:
            return try JSONSchemaGrammar.gbnf(for: responseFormat ?? .null)
        default:
            throw .invalidRequest("the JSON schema must be an object")
        }
    }
}

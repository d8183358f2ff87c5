import Conversation
import EngineSupport
public import InferenceTypes
import ModelStore
import OrderedJSON
import SchemaGrammar

/// Turns the response format of a request into the grammar an engine constrains decoding with.
public enum OutputConstraint {
    /// The GBNF grammar for a response format, `nil` for free text.
    ///
    /// A schema the converter cannot handle (or one that is neither an object nor `true`) is
    /// `.invalidResponseFormat`, naming the problem.
    public static func grammar(for format: ResponseFormat) throws(InferenceError) -> String? {
        switch format {
        case .text:
            return nil
        case .jsonObject:
            return JSONSchemaGrammar.anyJSONObject
        case .jsonSchema(.object(let members)) where members.isEmpty:
            return JSONSchemaGrammar.anyJSONObject
        case .jsonSchema(let schema):
            switch schema {
            case .object, .bool(true): break
            default: throw .invalidResponseFormat("the JSON schema must be an object")
            }
            do {
                return try JSONSchemaGrammar.gbnf(for: schema)
            } catch {
                throw .invalidResponseFormat(error.description)
            }
        }
    }
}

public import OrderedJSON

/// TEMPORARY stand-in for the JSON-Schema-to-GBNF converter that merges separately; replaced at merge.
public enum JSONSchemaGrammar {
    /// A grammar for any JSON object.
    public static let anyJSONObject = "root ::= \"{}\""

    /// The grammar of a schema; refuses until the converter lands.
    public static func gbnf(for schema: JSONValue) throws(InferenceError) -> String {
        throw .invalidRequest("structured output is not available yet")
    }
}

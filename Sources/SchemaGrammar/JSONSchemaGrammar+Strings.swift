import InferenceTypes
import OrderedJSON

extension JSONSchemaGrammar.Converter {
    /// A string: of `minLength`...`maxLength` characters, or matching `pattern`, or of a known `format`.
    mutating func stringBody(_ schema: JSONValue, at path: String) throws(InferenceError) -> String {
        let minimum = try count("minLength", of: schema, at: path)
        let maximum = try count("maxLength", of: schema, at: path)
        if let minimum, let maximum, minimum > maximum {
            throw .invalidRequest("'minLength' at \(path) is above 'maxLength': no value can match")
        }
        let quote = JSONSchemaGrammar.literal("\"")
        if let format = schema["format"]?.stringValue, let content = Self.formatContent(format) {
            guard minimum == nil, maximum == nil, schema["pattern"] == nil else {
                throw .invalidRequest(
                    "'format' at \(path) cannot be combined with 'minLength', 'maxLength' or 'pattern' for structured output"
                )
            }
            return try rule(format, "\(quote) \(content) \(quote)")
        }
        if let pattern = schema["pattern"] {
            guard let text = pattern.stringValue else {
                throw .invalidRequest("'pattern' at \(path) must be a string")
            }
            guard minimum == nil, maximum == nil else {
                throw .invalidRequest(
                    "'pattern' at \(path) cannot be combined with 'minLength' or 'maxLength' for structured output")
            }
            _ = primitive(.char)
            var translator = JSONSchemaGrammar.PatternTranslator(text, at: path)
            return "\(quote) \(try translator.translate()) \(quote)"
        }
        if (minimum ?? 0) == 0 && maximum == nil { return primitive(.string) }
        _ = primitive(.char)
        let characters = JSONSchemaGrammar.repeated("char", minimum: minimum ?? 0, maximum: maximum)
        return characters.isEmpty ? "\(quote) \(quote)" : "\(quote) \(characters) \(quote)"
    }

    /// What goes between the quotes of a string of a known `format`; `nil` for a format that is only an annotation.
    static func formatContent(_ format: String) -> String? {
        let date = #"[0-9]{4} "-" ("0" [1-9] | "1" [0-2]) "-" ("0" [1-9] | [12] [0-9] | "3" [01])"#
        let time =
            #"([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9] ":" [0-5] [0-9] ("." [0-9]{1,6})? ("Z" | [+-] ([01] [0-9] | "2" [0-3]) ":" [0-5] [0-9])"#
        switch format {
        case "date": return date
        case "time": return time
        case "date-time": return #"\#(date) "T" \#(time)"#
        case "uuid":
            return #"[0-9a-fA-F]{8} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{4} "-" [0-9a-fA-F]{12}"#
        case "email":
            return
                #"[A-Za-z0-9._%+-]{1,64} "@" [A-Za-z0-9] [A-Za-z0-9-]{0,62} ("." [A-Za-z0-9] [A-Za-z0-9-]{0,62}){1,3}"#
        default: return nil
        }
    }
}

public import OrderedJSON

/// The shape a generation's answer must have, as a dialect asked for it. The core compiles it into the
/// grammar the engine constrains decoding with (`OutputConstraint`).
public enum ResponseFormat: Sendable, Hashable, Codable {
    /// Free text.
    case text
    /// Any JSON object.
    case jsonObject
    /// A document matching a JSON Schema.
    case jsonSchema(JSONValue)

    /// The format of a schema as dialects reduce it: `nil` or JSON `null` for free text, an empty object for
    /// any JSON object, else the schema.
    public init(schema: JSONValue?) {
        switch schema {
        case nil, .null?: self = .text
        case .object(let members)? where members.isEmpty: self = .jsonObject
        case let schema?: self = .jsonSchema(schema)
        }
    }
}

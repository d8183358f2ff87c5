/// `"text"` or `["a", "b"]`: OpenAI's fields that take either (`stop`, `prompt`).
public struct StringOrStrings: Decodable, Sendable, Equatable {
    /// The strings, one when a single string was sent.
    public var values: [String]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            values = [single]
        } else {
            values = try container.decode([String].self)
        }
    }
}

/// A JSON value of any shape, for fields that are accepted and only checked for presence.
public struct AnyJSON: Decodable, Sendable {
    /// Whether the value was JSON `null`.
    public var isNull: Bool
    /// Whether the value was an empty array.
    public var isEmptyArray: Bool

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        isNull = container.decodeNil()
        isEmptyArray = (try? container.decode([AnyJSONElement].self))?.isEmpty ?? false
    }

    private struct AnyJSONElement: Decodable {
        init(from decoder: any Decoder) throws {}
    }
}

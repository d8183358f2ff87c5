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

/// Message content: a string, or an array of typed parts of which the text parts are read.
public struct MessageContent: Decodable, Sendable, Equatable {
    /// The text of the message, parts joined in order.
    public var text: String
    /// Whether the content held parts other than text (images, audio).
    public var hasNonTextParts: Bool

    private struct Part: Decodable {
        var type: String
        var text: String?
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            text = ""
            hasNonTextParts = false
        } else if let string = try? container.decode(String.self) {
            text = string
            hasNonTextParts = false
        } else {
            let parts = try container.decode([Part].self)
            text = parts.compactMap { $0.type == "text" ? $0.text : nil }.joined()
            hasNonTextParts = parts.contains { $0.type != "text" }
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

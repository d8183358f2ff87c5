/// How `JSONValue.serialized` lays out its text.
public struct JSONLayout: Sendable, Hashable {
    /// Between array elements or object members when not indenting.
    public var itemSeparator: String
    /// Between a key and its value.
    public var keySeparator: String
    /// Spaces per nesting level; `nil` writes everything on one line.
    public var indent: Int?

    /// Creates a layout.
    public init(itemSeparator: String, keySeparator: String, indent: Int? = nil) {
        self.itemSeparator = itemSeparator
        self.keySeparator = keySeparator
        self.indent = indent
    }

    /// `{"a":1,"b":[1,2]}`: what APIs send.
    public static let compact = JSONLayout(itemSeparator: ",", keySeparator: ":")
    /// `{"a": 1, "b": [1, 2]}`: Python's `json.dumps` defaults, which chat templates' `tojson` prints.
    public static let python = JSONLayout(itemSeparator: ", ", keySeparator: ": ")

    /// Python's `json.dumps(indent: n)`: one item per line, `,` at line ends.
    public static func pythonIndented(_ indent: Int) -> JSONLayout {
        JSONLayout(itemSeparator: ",", keySeparator: ": ", indent: indent)
    }
}

extension JSONValue {
    /// The value as JSON text; non-ASCII characters are written as they are, not escaped.
    public func serialized(_ layout: JSONLayout = .compact) -> String {
        var output = ""
        write(to: &output, layout: layout, level: 0)
        return output
    }

    private func write(to output: inout String, layout: JSONLayout, level: Int) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .int(let value): output += String(value)
        case .double(let value): output += Self.numberText(value)
        case .string(let value): Self.writeString(value, to: &output)
        case .array(let elements):
            writeContainer(
                open: "[", close: "]", count: elements.count, to: &output, layout: layout, level: level
            ) { index, output in
                elements[index].write(to: &output, layout: layout, level: level + 1)
            }
        case .object(let members):
            writeContainer(
                open: "{", close: "}", count: members.count, to: &output, layout: layout, level: level
            ) { index, output in
                Self.writeString(members[index].key, to: &output)
                output += layout.keySeparator
                members[index].value.write(to: &output, layout: layout, level: level + 1)
            }
        }
    }

    private func writeContainer(
        open: String, close: String, count: Int, to output: inout String, layout: JSONLayout, level: Int,
        element: (Int, inout String) -> Void
    ) {
        output += open
        guard count > 0 else {
            output += close
            return
        }
        let newline = layout.indent.map { "\n" + String(repeating: " ", count: $0 * (level + 1)) }
        for index in 0..<count {
            if index > 0 { output += layout.itemSeparator }
            if let newline { output += newline }
            element(index, &output)
        }
        if let indent = layout.indent { output += "\n" + String(repeating: " ", count: indent * level) }
        output += close
    }

    /// Python's `repr` of a float, which Swift's description matches for finite values.
    static func numberText(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }

    /// A JSON string literal, escaping what JSON requires and nothing else.
    public static func quoted(_ text: String) -> String {
        var output = ""
        writeString(text, to: &output)
        return output
    }

    static func writeString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case let scalar where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }
}

extension JSONValue: Codable {
    /// Set to `true` in an encoder's and decoder's `userInfo` to carry values as their JSON text, which keeps
    /// object members in order through decoders that do not (Foundation's `JSONDecoder`).
    public static let asTextKey = CodingUserInfoKey(rawValue: "OrderedJSON.asText")!

    /// Encodes the value as the JSON it is; object members keep their order with encoders that keep it.
    public func encode(to encoder: any Encoder) throws {
        if encoder.userInfo[Self.asTextKey] as? Bool == true {
            var container = encoder.singleValueContainer()
            try container.encode(serialized())
            return
        }
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for member in members { try container.encode(member.value, forKey: MemberKey(member.key)) }
        }
    }

    struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

extension JSONValue {
    /// Decodes any JSON value. Object members come in the order the decoder lists its keys, which for
    /// Foundation's `JSONDecoder` is not the written order; see `asTextKey`.
    public init(from decoder: any Decoder) throws {
        if decoder.userInfo[Self.asTextKey] as? Bool == true {
            let text = try decoder.singleValueContainer().decode(String.self)
            do {
                self = try JSONValue(parsing: text)
            } catch {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(codingPath: decoder.codingPath, debugDescription: error.description))
            }
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !array.isAtEnd { elements.append(try array.decode(JSONValue.self)) }
            self = .array(elements)
        } else if let object = try? decoder.container(keyedBy: MemberKey.self) {
            self = .object(
                try object.allKeys.map { JSONMember($0.stringValue, try object.decode(JSONValue.self, forKey: $0)) })
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
            } else if let int = try? value.decode(Int.self) {
                self = .int(int)
            } else if let double = try? value.decode(Double.self) {
                self = .double(double)
            } else {
                self = .string(try value.decode(String.self))
            }
        }
    }
}

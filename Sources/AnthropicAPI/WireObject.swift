import OrderedJSON

/// A JSON object of a request body with its path (`messages[2].content[0]`), whose fields are read with their
/// types checked: a field of the wrong type is a 400 naming it. Members keep the client's order.
struct WireObject {
    let value: JSONValue
    let path: String

    /// The object at `path`; a 400 when `value` is not an object.
    init(_ value: JSONValue, path: String) throws(AnthropicError) {
        guard case .object = value else {
            throw .invalidRequest("\(path.isEmpty ? "the request body" : path): expected an object")
        }
        self.value = value
        self.path = path
    }

    /// The path of one of its fields.
    func path(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The field's value; `nil` when it is absent or `null`.
    subscript(key: String) -> JSONValue? {
        guard let field = value[key], field != .null else { return nil }
        return field
    }

    func string(_ key: String) throws(AnthropicError) -> String? {
        guard let field = self[key] else { return nil }
        guard let string = field.stringValue else { throw wrongType(key, "a string") }
        return string
    }

    func requiredString(_ key: String) throws(AnthropicError) -> String {
        guard let string = try string(key) else { throw .invalidRequest("\(path(key)): Field required") }
        return string
    }

    func bool(_ key: String) throws(AnthropicError) -> Bool? {
        guard let field = self[key] else { return nil }
        guard case .bool(let bool) = field else { throw wrongType(key, "a boolean") }
        return bool
    }

    func int(_ key: String) throws(AnthropicError) -> Int? {
        switch self[key] {
        case nil: return nil
        case .int(let int)?: return int
        case .double(let double)? where double.rounded() == double && abs(double) < 1e15: return Int(double)
        default: throw wrongType(key, "an integer")
        }
    }

    func double(_ key: String) throws(AnthropicError) -> Double? {
        guard let field = self[key] else { return nil }
        guard let number = field.numberValue else { throw wrongType(key, "a number") }
        return number
    }

    func array(_ key: String) throws(AnthropicError) -> [JSONValue]? {
        guard let field = self[key] else { return nil }
        guard let array = field.arrayValue else { throw wrongType(key, "an array") }
        return array
    }

    func object(_ key: String) throws(AnthropicError) -> WireObject? {
        guard let field = self[key] else { return nil }
        return try WireObject(field, path: path(key))
    }

    private func wrongType(_ key: String, _ expected: String) -> AnthropicError {
        .invalidRequest("\(path(key)): Input should be \(expected)")
    }
}

import OrderedJSON

extension JSONSchemaGrammar.Converter {
    /// One member an object schema lists.
    private struct Member {
        var name: String
        var rule: String
        var required: Bool
    }

    /// An object: the listed members in the schema's order (required ones always, optional ones maybe), then
    /// other members when `additionalProperties` allows them.
    mutating func objectBody(_ schema: JSONValue, at path: String) throws(InferenceError) -> String {
        _ = primitive(.ws)
        var properties: [JSONMember] = []
        if let declared = schema["properties"] {
            guard let members = declared.objectMembers else {
                throw .invalidRequest("'properties' at \(path) must be an object")
            }
            properties = members
        }
        var required: [String] = []
        if let declared = schema["required"] {
            let names = declared.arrayValue?.compactMap(\.stringValue) ?? []
            guard names.count == declared.arrayValue?.count else {
                throw .invalidRequest("'required' at \(path) must be an array of property names")
            }
            required = names
        }
        let additional = schema["additionalProperties"]
        var extraValue: String?
        switch additional {
        case nil: extraValue = properties.isEmpty ? primitive(.value) : nil
        case .bool(false)?: extraValue = nil
        case .bool(true)?: extraValue = primitive(.value)
        case let extra?: extraValue = try ruleName(for: extra, at: "\(path)/additionalProperties")
        }

        var members: [Member] = []
        for property in properties {
            let isRequired = required.contains(property.key)
            let propertyPath = "\(path)/properties/\(Self.pointerPart(property.key))"
            if property.value == .bool(false) {
                if isRequired {
                    throw .invalidRequest("'\(property.key)' at \(path) is required but its schema is `false`")
                }
                continue
            }
            let value = try ruleName(for: property.value, at: propertyPath)
            members.append(
                Member(
                    name: property.key, rule: try memberRule(property.key, value, at: propertyPath),
                    required: isRequired))
        }
        for name in required where !properties.contains(where: { $0.key == name }) {
            guard additional != .bool(false) else {
                throw .invalidRequest("'\(name)' at \(path) is required but 'additionalProperties' is false")
            }
            let value = extraValue ?? primitive(.value)
            let memberPath = "\(path)/properties/\(Self.pointerPart(name))"
            members.append(Member(name: name, rule: try memberRule(name, value, at: memberPath), required: true))
        }

        var extra: String?
        if let extraValue {
            let key = try extraKey(excluding: members.map(\.name))
            let body = "\(key) ws \":\" ws \(extraValue)"
            extra = try rule(Self.hint(for: path) + "-extra-kv", body)
        }
        return Self.objectSequence(members, extra: extra)
    }

    /// `"name": value` as a rule.
    private mutating func memberRule(_ name: String, _ value: String, at path: String) throws(InferenceError) -> String
    {
        let key = JSONSchemaGrammar.literal(JSONValue.string(name).serialized(.compact))
        return try rule(Self.hint(for: path) + "-kv", "\(key) ws \":\" ws \(value)")
    }

    /// The braces and what goes between them.
    private static func objectSequence(_ members: [Member], extra: String?) -> String {
        let separator = JSONSchemaGrammar.separator
        func following(_ start: Int) -> [String] {
            var parts = members[start...].map { $0.required ? "\(separator) \($0.rule)" : "(\(separator) \($0.rule))?" }
            if let extra { parts.append("(\(separator) \(extra))*") }
            return parts
        }
        // Which member comes first: any optional one before the first required one, or that required one.
        var alternatives: [String] = []
        var hasRequired = false
        for (index, member) in members.enumerated() {
            alternatives.append(([member.rule] + following(index + 1)).joined(separator: " "))
            if member.required {
                hasRequired = true
                break
            }
        }
        if !hasRequired, let extra { alternatives.append("\(extra) (\(separator) \(extra))*") }
        if alternatives.isEmpty { return #""{" ws "}""# }
        let content = JSONSchemaGrammar.group(alternatives)
        return hasRequired ? #""{" ws \#(content) ws "}""# : #""{" ws (\#(content) ws)? "}""#
    }

    /// A quoted key that is none of `names`. Its characters need no escape, so that no escaped spelling of a
    /// listed name slips through.
    private mutating func extraKey(excluding names: [String]) throws(InferenceError) -> String {
        let quote = JSONSchemaGrammar.literal("\"")
        guard !names.isEmpty else {
            _ = primitive(.keyChar)
            return "\(quote) key-char* \(quote)"
        }
        _ = primitive(.keyChar)
        let words = names.map { Array($0.unicodeScalars)[...] }
        return "\(quote) \(Self.exclusion(words)) \(quote)"
    }

    /// The key characters after a prefix, when `words` are the remainders of the listed names that start with
    /// that prefix: a character that leads away from every name and then anything, or a character that keeps
    /// following some name, or (unless a name ends here) nothing more.
    private static func exclusion(_ words: [ArraySlice<Unicode.Scalar>]) -> String {
        let endsHere = words.contains { $0.isEmpty }
        var order: [Unicode.Scalar] = []
        var remainders: [Unicode.Scalar: [ArraySlice<Unicode.Scalar>]] = [:]
        for word in words {
            guard let first = word.first else { continue }
            // A character that needs escaping is never written by `key-char`, so no key follows that name.
            if first == "\"" || first == "\\" || first.value < 0x20 || first.value == 0x7F { continue }
            if remainders[first] == nil { order.append(first) }
            remainders[first, default: []].append(word.dropFirst())
        }
        var alternatives = order.map { scalar in
            "\(JSONSchemaGrammar.literal(String(Character(scalar)))) \(exclusion(remainders[scalar] ?? []))"
        }
        let leading = order.map { JSONSchemaGrammar.classCharacter($0.value) }.joined()
        alternatives.append(#"[^\#(leading)"\\\x7F\x00-\x1F] key-char*"#)
        let body = "(\(alternatives.joined(separator: " | ")))"
        return endsHere ? body : "\(body)?"
    }

    /// A property name as a JSON pointer segment.
    static func pointerPart(_ name: String) -> String {
        var result = ""
        for character in name {
            switch character {
            case "~": result += "~0"
            case "/": result += "~1"
            default: result.append(character)
            }
        }
        return result
    }
}

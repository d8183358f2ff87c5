import InferenceTypes
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
        return try objectSequence(members, extra: extra, hint: Self.hint(for: path))
    }

    /// `"name": value` as a rule.
    private mutating func memberRule(_ name: String, _ value: String, at path: String) throws(InferenceError) -> String
    {
        let key = JSONSchemaGrammar.literal(JSONValue.string(name).serialized(.compact))
        return try rule(Self.hint(for: path) + "-kv", "\(key) ws \":\" ws \(value)")
    }

    /// The braces and what goes between them.
    ///
    /// The first member written is any optional one before the first required one, or that required one; each
    /// choice continues with the members after it. Those continuations share suffixes: the continuation after
    /// member `k` is one rule, "member `k + 1` (or nothing when it is optional), then the continuation after it",
    /// so the grammar grows linearly with the number of members instead of quadratically.
    private mutating func objectSequence(
        _ members: [Member], extra: String?, hint: String
    ) throws(InferenceError) -> String {
        let separator = JSONSchemaGrammar.separator
        func part(_ member: Member) -> String {
            member.required ? "\(separator) \(member.rule)" : "(\(separator) \(member.rule))?"
        }
        let extraPart = extra.map { "(\(separator) \($0))*" }
        let firstRequired = members.firstIndex(where: \.required)
        let choices = firstRequired.map { $0 + 1 } ?? members.count
        // The continuation after the last choice, written out: each later member appears in it once.
        var continuation = (members[choices...].map(part) + (extraPart.map { [$0] } ?? [])).joined(separator: " ")
        // continuations[k]: what follows the member at index k - 1.
        var continuations = [String](repeating: "", count: choices + 1)
        continuations[choices] = continuation
        if choices >= 2 {
            for index in stride(from: choices - 1, through: 1, by: -1) {
                let body = continuation.isEmpty ? part(members[index]) : "\(part(members[index])) \(continuation)"
                continuation = try rule(hint + "-rest", body)
                continuations[index] = continuation
            }
        }
        var alternatives: [String] = []
        for index in 0..<choices {
            let rest = continuations[index + 1]
            alternatives.append(rest.isEmpty ? members[index].rule : "\(members[index].rule) \(rest)")
        }
        if firstRequired == nil, let extra { alternatives.append("\(extra) (\(separator) \(extra))*") }
        if alternatives.isEmpty { return #""{" ws "}""# }
        let content = JSONSchemaGrammar.group(alternatives)
        return firstRequired != nil ? #""{" ws \#(content) ws "}""# : #""{" ws (\#(content) ws)? "}""#
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

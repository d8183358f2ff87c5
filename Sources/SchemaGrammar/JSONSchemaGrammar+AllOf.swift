import InferenceTypes
import OrderedJSON

extension JSONSchemaGrammar.Converter {
    /// One schema that holds what all of `schemas` require: their `$ref`s and `allOf`s followed and merged
    /// keyword by keyword. Two constraints that cannot be merged exactly are refused.
    mutating func merged(_ schemas: [JSONValue], at path: String) throws(InferenceError) -> JSONValue {
        var result: [JSONMember] = []
        for schema in schemas {
            result = try merge(result, try flattened(schema, at: path), at: path)
        }
        return .object(result)
    }

    /// The members of `schema` with its `$ref` and `allOf` merged in.
    private mutating func flattened(_ schema: JSONValue, at path: String) throws(InferenceError) -> [JSONMember] {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw .invalidRequest("the JSON schema's 'allOf' and '$ref' nest deeper than \(Self.maxDepth) at \(path)")
        }
        switch schema {
        case .bool(true): return []
        case .bool(false): throw .invalidRequest("'allOf' at \(path) includes `false`: no value can match it")
        case .object(let members):
            try checkKeywords(members, at: path)
            var result = members.filter { $0.key != "$ref" && $0.key != "allOf" }
            if let reference = schema["$ref"] {
                guard let pointer = reference.stringValue else {
                    throw .invalidRequest("'$ref' at \(path) must be a string")
                }
                result = try merge(try flattened(try resolve(pointer, at: path), at: pointer), result, at: path)
            }
            if let parts = schema["allOf"] {
                guard let parts = parts.arrayValue else {
                    throw .invalidRequest("'allOf' at \(path) must be an array of schemas")
                }
                for (index, part) in parts.enumerated() {
                    result = try merge(result, try flattened(part, at: "\(path)/allOf/\(index)"), at: path)
                }
            }
            return result
        default:
            throw .invalidRequest("the JSON schema at \(path) must be an object or a boolean")
        }
    }

    /// `first` and `second` merged; each keyword the way its meaning combines.
    private func merge(_ first: [JSONMember], _ second: [JSONMember], at path: String) throws(InferenceError)
        -> [JSONMember]
    {
        let (first, second) = try closingProperties(first, second, at: path)
        var result = first
        for member in second {
            guard let index = result.lastIndex(where: { $0.key == member.key }) else {
                result.append(member)
                continue
            }
            let key = member.key
            if Self.annotations.contains(key) || key.hasPrefix("x-") { continue }
            result[index].value = try combine(key, result[index].value, member.value, at: path)
        }
        return result
    }

    /// When one side forbids other members (`additionalProperties: false`), the other side's extra properties
    /// are dropped, and requiring one of them is a contradiction.
    private func closingProperties(_ first: [JSONMember], _ second: [JSONMember], at path: String)
        throws(InferenceError) -> ([JSONMember], [JSONMember])
    {
        func closed(_ members: [JSONMember]) -> Set<String>? {
            guard JSONValue.object(members)["additionalProperties"] == .bool(false) else { return nil }
            return Set(JSONValue.object(members)["properties"]?.objectMembers?.map(\.key) ?? [])
        }
        func restricted(_ members: [JSONMember], to allowed: Set<String>?) throws(InferenceError) -> [JSONMember] {
            guard let allowed else { return members }
            let object = JSONValue.object(members)
            for name in object["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where !allowed.contains(name) {
                throw .invalidRequest(
                    "'allOf' at \(path) requires '\(name)', which another part forbids (additionalProperties: false)")
            }
            return members.map { member in
                guard member.key == "properties", let properties = member.value.objectMembers else { return member }
                return JSONMember("properties", .object(properties.filter { allowed.contains($0.key) }))
            }
        }
        return (try restricted(first, to: closed(second)), try restricted(second, to: closed(first)))
    }

    private func combine(_ key: String, _ first: JSONValue, _ second: JSONValue, at path: String)
        throws(InferenceError) -> JSONValue
    {
        func both(_ a: JSONValue, _ b: JSONValue) -> JSONValue { a == b ? a : ["allOf": [a, b]] }
        switch key {
        case "type":
            return try intersectTypes(first, second, at: path)
        case "properties":
            var members = first.objectMembers ?? []
            for property in second.objectMembers ?? [] {
                if let index = members.lastIndex(where: { $0.key == property.key }) {
                    members[index].value = both(members[index].value, property.value)
                } else {
                    members.append(property)
                }
            }
            return .object(members)
        case "required":
            var names = first.arrayValue ?? []
            for name in second.arrayValue ?? [] where !names.contains(name) { names.append(name) }
            return .array(names)
        case "additionalProperties", "items", "additionalItems":
            if first == .bool(false) || second == .bool(false) { return .bool(false) }
            if first == .bool(true) { return second }
            if second == .bool(true) { return first }
            return both(first, second)
        case "minLength", "minItems", "minimum", "exclusiveMinimum":
            guard let a = first.numberValue, let b = second.numberValue else { break }
            return a >= b ? first : second
        case "maxLength", "maxItems", "maximum", "exclusiveMaximum":
            guard let a = first.numberValue, let b = second.numberValue else { break }
            return a <= b ? first : second
        case "enum":
            let kept = (first.arrayValue ?? []).filter { (second.arrayValue ?? []).contains($0) }
            guard !kept.isEmpty else {
                throw .invalidRequest("'allOf' at \(path) combines enums that share no value: no value can match")
            }
            return .array(kept)
        case "nullable":
            return .bool(first == .bool(true) && second == .bool(true))
        default:
            if first == second { return first }
        }
        throw .invalidRequest(
            "'allOf' at \(path) combines two different '\(key)' constraints, which is not supported for structured output"
        )
    }

    private func intersectTypes(_ first: JSONValue, _ second: JSONValue, at path: String) throws(InferenceError)
        -> JSONValue
    {
        func names(_ value: JSONValue) -> [String] {
            value.stringValue.map { [$0] } ?? value.arrayValue?.compactMap(\.stringValue) ?? []
        }
        let a = names(first)
        let b = names(second)
        var kept: [String] = []
        for type in a {
            var common: String?
            if b.contains(type) {
                common = type
            } else if type == "integer" && b.contains("number") || type == "number" && b.contains("integer") {
                common = "integer"
            }
            if let common, !kept.contains(common) { kept.append(common) }
        }
        guard !kept.isEmpty else {
            throw .invalidRequest("'allOf' at \(path) combines types that share none: no value can match")
        }
        return kept.count == 1 ? .string(kept[0]) : .array(kept.map { .string($0) })
    }
}

import InferenceTypes
import OrderedJSON

extension JSONSchemaGrammar.Converter {
    /// Keywords that describe a schema without constraining it.
    static let annotations: Set<String> = [
        "title", "description", "default", "examples", "example", "$schema", "$id", "$comment", "deprecated",
        "readOnly", "writeOnly", "$defs", "definitions", "contentEncoding", "contentMediaType", "discriminator",
    ]

    /// Keywords the grammar enforces.
    static let constraints: Set<String> = [
        "type", "properties", "required", "additionalProperties", "enum", "const", "items", "prefixItems",
        "additionalItems", "minItems", "maxItems", "$ref", "anyOf", "oneOf", "allOf", "nullable", "minLength",
        "maxLength", "pattern", "format", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "uniqueItems",
    ]

    static let knownTypes: Set<String> = ["object", "array", "string", "integer", "number", "boolean", "null"]

    /// Converts a schema written as an object: references and combinators first, then the types it allows.
    mutating func convertObjectSchema(_ members: [JSONMember], at path: String) throws(InferenceError) -> String {
        try checkKeywords(members, at: path)
        let schema = JSONValue.object(members)
        let constraining = members.filter { Self.constraints.contains($0.key) }
        if let reference = schema["$ref"] {
            if constraining.count == 1 { return try referenceRule(reference, at: path) }
            return try convert(merged([schema], at: path), at: path)
        }
        if schema["allOf"] != nil {
            return try convert(merged([schema], at: path), at: path)
        }
        for keyword in ["anyOf", "oneOf"] {
            guard let options = schema[keyword] else { continue }
            guard let options = options.arrayValue, !options.isEmpty else {
                throw .invalidRequest("'\(keyword)' at \(path) must be a non-empty array of schemas")
            }
            let siblings = constraining.filter { $0.key != keyword }
            var alternatives: [String] = []
            for (index, option) in options.enumerated() {
                let optionPath = "\(path)/\(keyword)/\(index)"
                let combined = siblings.isEmpty ? option : try merged([.object(siblings), option], at: optionPath)
                alternatives.append(try ruleName(for: combined, at: optionPath))
            }
            return alternatives.joined(separator: " | ")
        }
        if schema["nullable"] == .bool(true) {
            let inner = members.filter { $0.key != "nullable" }
            return "\(try ruleName(for: .object(inner), at: path)) | \(primitive(.null))"
        }
        if let constant = schema["const"] {
            return try literalAlternatives([constant], schema: schema, keyword: "const", at: path)
        }
        if let values = schema["enum"] {
            guard let values = values.arrayValue, !values.isEmpty else {
                throw .invalidRequest("'enum' at \(path) must be a non-empty array")
            }
            return try literalAlternatives(values, schema: schema, keyword: "enum", at: path)
        }
        let types = try allowedTypes(schema, at: path)
        if types.isEmpty { return primitive(.value) }
        var alternatives: [String] = []
        for type in types {
            switch type {
            case "object": alternatives.append(try objectBody(schema, at: path))
            case "array": alternatives.append(try arrayBody(schema, at: path))
            case "string": alternatives.append(try stringBody(schema, at: path))
            case "integer": alternatives.append(try integerBody(schema, at: path))
            case "number": alternatives.append(try numberBody(schema, at: path))
            case "boolean": alternatives.append(primitive(.boolean))
            default: alternatives.append(primitive(.null))
            }
        }
        return alternatives.joined(separator: " | ")
    }

    /// Refuses keywords the grammar cannot enforce, naming them.
    func checkKeywords(_ members: [JSONMember], at path: String) throws(InferenceError) {
        for member in members {
            let key = member.key
            if Self.annotations.contains(key) || key.hasPrefix("x-") { continue }
            if key == "uniqueItems" && member.value != .bool(true) { continue }
            if Self.constraints.contains(key) && key != "uniqueItems" { continue }
            throw .invalidRequest(
                "the JSON schema keyword '\(key)' at \(path) is not supported for structured output")
        }
    }

    /// The types the schema allows, in the order it lists them; inferred from its keywords when it names none.
    func allowedTypes(_ schema: JSONValue, at path: String) throws(InferenceError) -> [String] {
        if let declared = schema["type"] {
            let names: [String]
            switch declared {
            case .string(let name): names = [name]
            case .array(let elements): names = elements.compactMap(\.stringValue)
            default: names = []
            }
            guard !names.isEmpty, names.count == (declared.arrayValue?.count ?? 1) else {
                throw .invalidRequest("'type' at \(path) must be a type name or an array of type names")
            }
            for name in names where !Self.knownTypes.contains(name) {
                throw .invalidRequest("'type' at \(path) names an unknown type '\(name)'")
            }
            return names
        }
        var inferred: [String] = []
        func has(_ keys: [String]) -> Bool { keys.contains { schema[$0] != nil } }
        if has(["properties", "additionalProperties", "required"]) { inferred.append("object") }
        if has(["items", "prefixItems", "additionalItems", "minItems", "maxItems"]) { inferred.append("array") }
        if has(["minLength", "maxLength", "pattern", "format"]) { inferred.append("string") }
        if has(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) { inferred.append("number") }
        return inferred
    }

    /// `const` or `enum` values as literals, keeping those of the declared types.
    mutating func literalAlternatives(
        _ values: [JSONValue], schema: JSONValue, keyword: String, at path: String
    ) throws(InferenceError) -> String {
        var kept = values
        if schema["type"] != nil {
            let types = try allowedTypes(schema, at: path)
            kept = values.filter { value in types.contains { Self.value(value, hasType: $0) } }
        }
        guard !kept.isEmpty else {
            throw .invalidRequest("'\(keyword)' at \(path) has no value of the schema's 'type': no value can match")
        }
        return kept.map { JSONSchemaGrammar.literal($0.serialized(.compact)) }.joined(separator: " | ")
    }

    static func value(_ value: JSONValue, hasType type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"): true
        case (.int, "integer"), (.int, "number"), (.double, "number"): true
        case (.double(let number), "integer"): number.rounded() == number
        default: false
        }
    }

    /// The rule of a `$ref` to this document, made once and shared; a reference met again while its target is
    /// being converted refers to the rule by name, so recursive schemas give recursive rules.
    mutating func referenceRule(_ reference: JSONValue, at path: String) throws(InferenceError) -> String {
        guard let pointer = reference.stringValue else {
            throw .invalidRequest("'$ref' at \(path) must be a string")
        }
        if let name = refNames[pointer] { return name }
        var seen: Set<String> = [pointer]
        var target = try resolve(pointer, at: path)
        // A chain of bare references that comes back to itself would be a rule that only names itself.
        while let next = target["$ref"]?.stringValue,
            target.objectMembers?.allSatisfy({ $0.key == "$ref" || Self.annotations.contains($0.key) }) == true
        {
            guard seen.insert(next).inserted else {
                throw .invalidRequest("'$ref' at \(path) is circular: '\(next)' refers back to itself")
            }
            target = try resolve(next, at: path)
        }
        let last = pointer.split(separator: "/").last.map(String.init) ?? "ref"
        let name = try reserveName(last == "#" ? "document" : last)
        refNames[pointer] = name
        define(name, try convert(try resolve(pointer, at: path), at: pointer))
        return name
    }

    /// The schema a local JSON pointer (`#/$defs/Name`, `#/definitions/Name`, `#`) points to.
    func resolve(_ pointer: String, at path: String) throws(InferenceError) -> JSONValue {
        guard pointer.hasPrefix("#") else {
            throw .invalidRequest(
                "'$ref' at \(path) points outside the schema ('\(pointer)'); only '#/...' is supported")
        }
        var current = document
        for rawPart in pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: true) {
            let part = Self.unescapedPointerPart(rawPart)
            if let members = current.objectMembers, let next = members.last(where: { $0.key == part }) {
                current = next.value
            } else if let elements = current.arrayValue, let index = Int(part), elements.indices.contains(index) {
                current = elements[index]
            } else {
                throw .invalidRequest("'$ref' at \(path) points to '\(pointer)', which the schema does not have")
            }
        }
        return current
    }

    /// A JSON pointer segment with `~1` and `~0` turned back into `/` and `~`.
    static func unescapedPointerPart(_ part: Substring) -> String {
        var result = ""
        var escaping = false
        for character in part {
            if escaping {
                result.append(character == "1" ? "/" : character == "0" ? "~" : character)
                escaping = false
            } else if character == "~" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return result
    }
}

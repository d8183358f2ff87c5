public import InferenceTypes
public import OrderedJSON

/// Turns a JSON Schema into a GBNF grammar (root rule `root`) that llama.cpp's grammar sampler enforces, so the
/// output of a constrained generation is JSON that matches the schema.
///
/// What the grammar allows is always a subset of what the schema allows: where the exact language would be
/// too large or slow (escapes inside keys and patterns, very deep whitespace) the grammar is stricter, never
/// looser. A keyword that cannot be enforced is refused with `InferenceError.invalidRequest` naming it and its
/// place in the schema, rather than ignored.
///
/// Choices a client may notice:
/// - Like llama.cpp, an object schema that lists `properties` and says nothing about `additionalProperties`
///   allows no other members (faster grammars, fewer invented keys); `"additionalProperties": true` or a schema
///   allows them. An object schema without `properties` allows any members.
/// - Members come out in the order the schema lists them; required ones always, optional ones may be left out.
/// - Between tokens the model may write a space or a newline followed by at most 20 spaces or tabs, so it can
///   indent, but never loop on whitespace. Nothing may precede or follow the value, so the generation ends
///   as soon as the value is complete.
/// - `oneOf` is treated like `anyOf` (exclusivity is not checked); `format` values other than `date`, `time`,
///   `date-time`, `uuid` and `email` are annotations, as JSON Schema defines them by default.
public enum JSONSchemaGrammar {
    /// A grammar for any JSON object: OpenAI's `json_object` response format and Ollama's `format: "json"`.
    public static let anyJSONObject: String = {
        var converter = Converter(document: .bool(true))
        let root = converter.primitive(.object)
        return converter.grammar(root: root)
    }()

    /// The grammar of the JSON values that `schema` accepts.
    ///
    /// Throws `InferenceError.invalidRequest` for a schema that uses an unsupported keyword, a `$ref` that does
    /// not resolve to this document, or constraints that no value can meet; the message names the keyword and
    /// its path (`#/properties/age`).
    ///
    /// What a schema may cost is bounded: at most `Converter.maxRules` rules, `Converter.maxDepth` levels of
    /// nesting and `maxGrammarBytes` of grammar text; a schema over a bound is refused naming it, before
    /// llama.cpp sees the grammar.
    public static func gbnf(for schema: JSONValue) throws(InferenceError) -> String {
        var converter = Converter(document: schema)
        let root = try converter.convert(schema, at: "#")
        return try bounded(converter.grammar(root: root))
    }

    /// The largest grammar a schema may produce, in bytes.
    public static let maxGrammarBytes = 512 << 10

    /// `grammar`, unless it is longer than `maxGrammarBytes`.
    static func bounded(_ grammar: String) throws(InferenceError) -> String {
        let size = grammar.utf8.count
        guard size <= maxGrammarBytes else {
            throw .invalidRequest(
                "the JSON schema is too large to turn into a grammar (\(size) bytes of grammar, over the limit of "
                    + "\(maxGrammarBytes))")
        }
        return grammar
    }
}

extension JSONSchemaGrammar {
    /// The state of one conversion: the rules made so far and the names of the `$ref` targets.
    struct Converter {
        /// The most rules one schema may produce.
        static let maxRules = 4000
        /// The deepest nesting of subschemas followed.
        static let maxDepth = 64
        /// Names the grammar's own rules use; a schema's names never take them.
        static let reservedNames: Set<String> = [
            "root", "ws", "char", "key-char", "string", "number", "integer", "boolean", "null", "value", "object",
            "array",
        ]

        let document: JSONValue
        private(set) var rules: [(name: String, body: String)] = []
        private var names: Set<String> = Converter.reservedNames
        private var nameOfBody: [String: String] = [:]
        private var definedPrimitives: Set<Primitive> = []
        var refNames: [String: String] = [:]
        var depth = 0

        init(document: JSONValue) {
            self.document = document
        }

        /// The whole grammar text, `root` first.
        func grammar(root: String) -> String {
            var lines = ["root ::= \(root)"]
            for rule in rules { lines.append("\(rule.name) ::= \(rule.body)") }
            return lines.joined(separator: "\n") + "\n"
        }

        /// A rule for `body`, named after `hint`; an identical body reuses its rule, a bare name is used as is.
        mutating func rule(_ hint: String, _ body: String) throws(InferenceError) -> String {
            if Self.isName(body) { return body }
            if let existing = nameOfBody[body] { return existing }
            let name = try reserveName(hint)
            define(name, body)
            return name
        }

        /// A fresh rule name derived from `hint`.
        mutating func reserveName(_ hint: String) throws(InferenceError) -> String {
            guard names.count < Self.maxRules else {
                throw .invalidRequest(
                    "the JSON schema is too large to turn into a grammar (over \(Self.maxRules) rules)")
            }
            let base = Self.sanitized(hint)
            var name = base
            var counter = 2
            while names.contains(name) {
                name = "\(base)-\(counter)"
                counter += 1
            }
            names.insert(name)
            return name
        }

        /// Sets the body of a reserved name.
        mutating func define(_ name: String, _ body: String) {
            rules.append((name, body))
            nameOfBody[body] = nameOfBody[body] ?? name
        }

        /// The name of a rule of the grammar's own, adding it (and what it uses) on first use.
        mutating func primitive(_ primitive: Primitive) -> String {
            if definedPrimitives.insert(primitive).inserted {
                for dependency in primitive.dependencies { _ = self.primitive(dependency) }
                rules.append((primitive.rawValue, primitive.body))
            }
            return primitive.rawValue
        }

        /// Converts the schema at `path`, counting nesting; returns a rule body.
        mutating func convert(_ schema: JSONValue, at path: String) throws(InferenceError) -> String {
            depth += 1
            defer { depth -= 1 }
            guard depth <= Self.maxDepth else {
                throw .invalidRequest("the JSON schema nests deeper than \(Self.maxDepth) levels at \(path)")
            }
            switch schema {
            case .bool(true): return primitive(.value)
            case .bool(false): throw .invalidRequest("the JSON schema at \(path) is `false`: no value can match it")
            case .object(let members): return try convertObjectSchema(members, at: path)
            default: throw .invalidRequest("the JSON schema at \(path) must be an object or a boolean")
            }
        }

        /// A rule name for the schema at `path`, named after the path.
        mutating func ruleName(for schema: JSONValue, at path: String) throws(InferenceError) -> String {
            try rule(Self.hint(for: path), convert(schema, at: path))
        }

        /// A readable rule name for a schema path: `#/properties/address/properties/city` gives `address-city`.
        static func hint(for path: String) -> String {
            let skipped: Set<Substring> = ["#", "properties", "$defs", "definitions", "allOf"]
            let parts = path.split(separator: "/").compactMap { part -> Substring? in
                if skipped.contains(part) { return nil }
                if part == "items" || part == "prefixItems" || part == "additionalItems" { return "item" }
                if part == "additionalProperties" { return "extra" }
                return part
            }
            return parts.isEmpty ? "root" : parts.joined(separator: "-")
        }

        static func isName(_ text: String) -> Bool {
            !text.isEmpty && text.utf8.allSatisfy { isNameByte($0) }
        }

        private static func isNameByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "-")
        }

        /// Lower-case letters, digits and single dashes; something else becomes a dash.
        static func sanitized(_ hint: String) -> String {
            var result = ""
            for byte in hint.lowercased().utf8 {
                if isNameByte(byte) && byte != UInt8(ascii: "-") {
                    result.append(Character(Unicode.Scalar(byte)))
                } else if !result.isEmpty && result.last != "-" {
                    result.append("-")
                }
            }
            while result.last == "-" { result.removeLast() }
            return result.isEmpty ? "schema" : result
        }
    }
}

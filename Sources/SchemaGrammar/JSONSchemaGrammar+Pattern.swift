import InferenceTypes

extension JSONSchemaGrammar {
    /// Translates a JSON Schema `pattern` (an ECMA-262 regular expression over the decoded string) into GBNF
    /// for the string's JSON text between its quotes.
    ///
    /// Supported: literals and escapes, `.`, classes with ranges and negation, `\d \w \s` and their negations,
    /// groups (capturing, `(?:...)`, named), `|`, the quantifiers `* + ? {m} {m,} {m,n}` (lazy ones too), and `^`/`$`
    /// at the ends. A pattern without `^` or `$` may have anything before or after its match, as JSON Schema
    /// says. Look-arounds, back-references, word boundaries and Unicode properties are refused.
    struct PatternTranslator {
        /// The deepest nesting of groups translated; deeper patterns are refused (they would recurse that deep).
        static let maxGroupDepth = 32

        private let scalars: [Unicode.Scalar]
        private let path: String
        private var index = 0
        private var depth = 0

        init(_ pattern: String, at path: String) {
            scalars = Array(pattern.unicodeScalars)
            self.path = path
        }

        /// The GBNF for the whole pattern.
        mutating func translate() throws(InferenceError) -> String {
            let anchoredStart = peek == "^"
            if anchoredStart { index += 1 }
            var anchoredEnd = false
            var end = scalars.count
            if scalars.count > index, scalars.last == "$", !isEscaped(at: scalars.count - 1) {
                anchoredEnd = true
                end -= 1
            }
            let body = try alternation(until: end)
            guard index == end else { throw unsupported("an unbalanced ')'") }
            var parts: [String] = []
            if !anchoredStart { parts.append("char*") }
            if !body.isEmpty { parts.append(body) }
            if !anchoredEnd { parts.append("char*") }
            return parts.joined(separator: " ")
        }

        private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

        private func isEscaped(at position: Int) -> Bool {
            var backslashes = 0
            var cursor = position - 1
            while cursor >= 0, scalars[cursor] == "\\" {
                backslashes += 1
                cursor -= 1
            }
            return backslashes % 2 == 1
        }

        private func unsupported(_ what: String) -> InferenceError {
            .invalidRequest("'pattern' at \(path) uses \(what), which structured output does not support")
        }

        private mutating func alternation(until end: Int) throws(InferenceError) -> String {
            var alternatives = [try sequence(until: end)]
            while index < end, scalars[index] == "|" {
                index += 1
                alternatives.append(try sequence(until: end))
            }
            return alternatives.count == 1 ? alternatives[0] : "(\(alternatives.joined(separator: " | ")))"
        }

        private mutating func sequence(until end: Int) throws(InferenceError) -> String {
            var items: [String] = []
            while index < end, scalars[index] != "|", scalars[index] != ")" {
                let atom = try self.atom(until: end)
                let (minimum, maximum) = try quantifier(until: end)
                let item = JSONSchemaGrammar.repeated(atom, minimum: minimum, maximum: maximum)
                if !item.isEmpty { items.append(item) }
            }
            return items.joined(separator: " ")
        }

        private mutating func atom(until end: Int) throws(InferenceError) -> String {
            let scalar = scalars[index]
            index += 1
            switch scalar {
            case "(":
                guard depth < Self.maxGroupDepth else {
                    throw unsupported("groups nested deeper than \(Self.maxGroupDepth) levels")
                }
                try groupPrefix()
                depth += 1
                defer { depth -= 1 }
                let inner = try alternation(until: end)
                guard index < end, scalars[index] == ")" else { throw unsupported("an unclosed '('") }
                index += 1
                return "(\(inner))"
            case "[": return try text(of: try characterClass(until: end))
            case ".": return try text(of: ScalarSet(ranges: [0...0x09, 0x0B...0x10FFFF]))
            case "\\":
                switch try escape(inClass: false) {
                case .scalar(let value): return Self.literalText(value)
                case .set(let set): return try text(of: set)
                }
            case "^", "$": throw unsupported("'\(scalar)' inside the pattern")
            case "*", "+", "?": throw unsupported("a '\(scalar)' with nothing to repeat")
            default: return Self.literalText(scalar)
            }
        }

        /// Skips `?:` and group names; refuses look-arounds and inline flags.
        private mutating func groupPrefix() throws(InferenceError) {
            guard peek == "?" else { return }
            index += 1
            switch peek {
            case ":": index += 1
            case "P", "<":
                if peek == "P" { index += 1 }
                if peek == "<", index + 1 < scalars.count, scalars[index + 1] == "=" || scalars[index + 1] == "!" {
                    throw unsupported("a look-behind")
                }
                while let next = peek, next != ">" { index += 1 }
                guard peek == ">" else { throw unsupported("an unterminated group name") }
                index += 1
            case "=", "!": throw unsupported("a look-ahead")
            default: throw unsupported("inline flags")
            }
        }

        /// How often the atom just read repeats: `(1, 1)` without a quantifier.
        private mutating func quantifier(until end: Int) throws(InferenceError) -> (Int, Int?) {
            guard index < end else { return (1, 1) }
            var result: (Int, Int?)
            switch scalars[index] {
            case "*": result = (0, nil)
            case "+": result = (1, nil)
            case "?": result = (0, 1)
            case "{":
                guard let braces = bracedCount(until: end) else { return (1, 1) }
                result = braces
            default: return (1, 1)
            }
            index += 1
            if index < end, scalars[index] == "?" {
                index += 1
            } else if index < end, scalars[index] == "+" {
                throw unsupported("a possessive quantifier")
            }
            let limit = JSONSchemaGrammar.Converter.maxRepetition
            if result.0 > limit || (result.1 ?? 0) > limit {
                throw unsupported("a repetition count above \(limit)")
            }
            if let high = result.1, high < result.0 { throw unsupported("a repetition {m,n} with n < m") }
            return result
        }

        /// `{m}`, `{m,}` or `{m,n}` at the cursor, leaving the cursor on the closing brace; `nil` (and the
        /// cursor unmoved) when the brace is a literal.
        private mutating func bracedCount(until end: Int) -> (Int, Int?)? {
            var cursor = index + 1
            func number() -> Int? {
                var digits = ""
                while cursor < end, ("0"..."9").contains(scalars[cursor]) {
                    digits.unicodeScalars.append(scalars[cursor])
                    cursor += 1
                }
                return digits.isEmpty ? nil : Int(digits)
            }
            guard let low = number() else { return nil }
            var high: Int? = low
            if cursor < end, scalars[cursor] == "," {
                cursor += 1
                high = number()
            }
            guard cursor < end, scalars[cursor] == "}" else { return nil }
            index = cursor
            return (low, high)
        }

        private mutating func characterClass(until end: Int) throws(InferenceError) -> ScalarSet {
            let negated = peek == "^"
            if negated { index += 1 }
            var set = ScalarSet()
            var first = true
            while true {
                guard index < end else { throw unsupported("an unclosed '['") }
                let scalar = scalars[index]
                index += 1
                if scalar == "]" && !first { break }
                first = false
                var low: UInt32
                if scalar == "\\" {
                    switch try escape(inClass: true) {
                    case .set(let escaped):
                        set.formUnion(escaped)
                        continue
                    case .scalar(let value): low = value.value
                    }
                } else if scalar == "[" && peek == ":" {
                    throw unsupported("a POSIX class")
                } else {
                    low = scalar.value
                }
                guard index + 1 < end, scalars[index] == "-", scalars[index + 1] != "]" else {
                    set.insert(low...low)
                    continue
                }
                index += 1
                var high = scalars[index].value
                index += 1
                if high == UInt32(("\\" as Unicode.Scalar).value) {
                    guard case .scalar(let value) = try escape(inClass: true) else {
                        throw unsupported("a range that ends in a class escape")
                    }
                    high = value.value
                }
                guard low <= high else { throw unsupported("a range whose ends are out of order") }
                set.insert(low...high)
            }
            return negated ? set.complement : set
        }

        private enum Escape {
            case scalar(Unicode.Scalar)
            case set(ScalarSet)
        }

        private static let digits = ScalarSet(ranges: [0x30...0x39])
        private static let word = ScalarSet(ranges: [0x30...0x39, 0x41...0x5A, 0x5F...0x5F, 0x61...0x7A])
        private static let space = ScalarSet(ranges: [0x09...0x0D, 0x20...0x20, 0xA0...0xA0])

        /// The escape after a backslash.
        private mutating func escape(inClass: Bool) throws(InferenceError) -> Escape {
            guard let scalar = peek else { throw unsupported("a trailing backslash") }
            index += 1
            switch scalar {
            case "d": return .set(Self.digits)
            case "D": return .set(Self.digits.complement)
            case "w": return .set(Self.word)
            case "W": return .set(Self.word.complement)
            case "s": return .set(Self.space)
            case "S": return .set(Self.space.complement)
            case "n": return .scalar("\n")
            case "t": return .scalar("\t")
            case "r": return .scalar("\r")
            case "f": return .scalar("\u{0C}")
            case "v": return .scalar("\u{0B}")
            case "0": return .scalar("\u{00}")
            case "b" where inClass: return .scalar("\u{08}")
            case "b", "B": throw unsupported("a word boundary")
            case "x": return .scalar(try hexScalar(digits: 2))
            case "u": return .scalar(try hexScalar(digits: 4))
            case "p", "P": throw unsupported("a Unicode property escape")
            case "k", "1"..."9": throw unsupported("a back-reference")
            case "c": throw unsupported("a control escape")
            default:
                if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                    throw unsupported("the unknown escape '\\\(scalar)'")
                }
                return .scalar(scalar)
            }
        }

        private mutating func hexScalar(digits: Int) throws(InferenceError) -> Unicode.Scalar {
            guard index + digits <= scalars.count else { throw unsupported("a short hexadecimal escape") }
            var text = ""
            for scalar in scalars[index..<(index + digits)] { text.unicodeScalars.append(scalar) }
            index += digits
            guard let value = UInt32(text, radix: 16), let scalar = Unicode.Scalar(value) else {
                throw unsupported("an invalid hexadecimal escape")
            }
            return scalar
        }

        private func text(of set: ScalarSet) throws(InferenceError) -> String {
            guard let text = set.jsonText else { throw unsupported("a character class that matches nothing") }
            return text
        }

        /// One character as it is written in JSON text, as a GBNF literal.
        private static func literalText(_ scalar: Unicode.Scalar) -> String {
            if ScalarSet.unescaped.contains(scalar.value) {
                return JSONSchemaGrammar.literal(String(Character(scalar)))
            }
            if let text = ScalarSet(ranges: [scalar.value...scalar.value]).jsonText { return text }
            let hex = String(scalar.value, radix: 16)
            return JSONSchemaGrammar.literal("\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex)
        }
    }
}

import InferenceTypes

extension JSONSchemaGrammar {
    /// The grammar's own rules: whitespace, JSON's scalar types and any value.
    enum Primitive: String, CaseIterable {
        case ws
        case char
        case keyChar = "key-char"
        case string
        case integer
        case number
        case boolean
        case null
        case value
        case object
        case array

        /// The rule's body.
        var body: String {
            switch self {
            // One space or newline, then at most 20 spaces or tabs: enough to indent, never an endless run.
            case .ws: #"([ \t\n] [ \t]{0,20})?"#
            case .char: #"[^"\\\x7F\x00-\x1F] | [\\] (["\\/bfnrt] | "u" [0-9a-fA-F]{4})"#
            // A character of a string that needs no escape: what key and pattern checks can reason about.
            case .keyChar: #"[^"\\\x7F\x00-\x1F]"#
            case .string: #""\"" char* "\"""#
            case .integer: #""-"? ("0" | [1-9] [0-9]{0,15})"#
            case .number: #""-"? ("0" | [1-9] [0-9]{0,15}) ("." [0-9]{1,16})? ([eE] [-+]? [0-9]{1,3})?"#
            case .boolean: #""true" | "false""#
            case .null: #""null""#
            case .value: "object | array | string | number | boolean | null"
            case .object:
                #""{" ws (string ws ":" ws value (ws "," ws string ws ":" ws value)* ws)? "}""#
            case .array: #""[" ws (value (ws "," ws value)* ws)? "]""#
            }
        }

        /// The rules this one refers to.
        var dependencies: [Primitive] {
            switch self {
            case .ws, .char, .keyChar, .integer, .number, .boolean, .null: []
            case .string: [.char]
            case .value: [.object, .array, .string, .number, .boolean, .null]
            case .object: [.ws, .string, .value]
            case .array: [.ws, .value]
            }
        }
    }

    /// Between two members or elements.
    static let separator = #"ws "," ws"#

    /// `text` as a GBNF string literal.
    static func literal(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    result += hexEscape(scalar.value)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }

    /// One end of a range inside a GBNF character class.
    static func classCharacter(_ value: UInt32) -> String {
        switch value {
        case 0x5C: return "\\\\"
        case 0x5D: return "\\]"
        case 0x5B: return "\\["
        case 0x2D: return "\\-"
        case 0x5E: return "\\^"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        default:
            if value < 0x20 || value == 0x7F || (0xD800...0xDFFF).contains(value) || value > 0xFFFF {
                return hexEscape(value)
            }
            return Unicode.Scalar(value).map { String(Character($0)) } ?? hexEscape(value)
        }
    }

    /// `\xHH`, `\uHHHH` or `\UHHHHHHHH`.
    static func hexEscape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        if value <= 0xFF { return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex }
        if value <= 0xFFFF { return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
        return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// `expression` repeated between `minimum` and `maximum` times (`nil`: no upper bound), as GBNF.
    static func repeated(_ expression: String, minimum: Int, maximum: Int?) -> String {
        let atom = isAtom(expression) ? expression : "(\(expression))"
        switch (minimum, maximum) {
        case (_, 0?): return ""
        case (0, 1?): return "\(atom)?"
        case (1, 1?): return atom
        case (0, nil): return "\(atom)*"
        case (1, nil): return "\(atom)+"
        case (let low, nil): return "\(atom){\(low),}"
        case (let low, let high?) where low == high: return "\(atom){\(low)}"
        case (let low, let high?): return "\(atom){\(low),\(high)}"
        }
    }

    /// Whether `expression` is one rule name, one literal or one character class.
    static func isAtom(_ expression: String) -> Bool {
        if Converter.isName(expression) { return true }
        guard let first = expression.first, let last = expression.last, expression.count >= 2 else { return false }
        let closing: Character
        switch first {
        case "\"": closing = "\""
        case "[": closing = "]"
        default: return false
        }
        guard last == closing else { return false }
        var escaped = false
        for character in expression.dropFirst().dropLast() {
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == closing {
                return false
            }
        }
        return !escaped
    }

    /// Alternatives as one group fit for a sequence.
    static func group(_ alternatives: [String]) -> String {
        alternatives.count == 1 && !alternatives[0].contains(" | ")
            ? alternatives[0] : "(\(alternatives.joined(separator: " | ")))"
    }
}

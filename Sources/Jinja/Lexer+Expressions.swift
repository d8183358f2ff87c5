extension Lexer {
    private static let symbols: [String] = [
        "//", "**", "==", "!=", ">=", "<=", "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", ">", "<",
        "=", ".", ":", "|", ",", ";",
    ].sorted { $0.utf8.count > $1.utf8.count }

    /// Lexes the inside of a `{% %}` or `{{ }}` tag up to and including its end.
    mutating func lexInsideTag(isBlock: Bool) throws(JinjaError) {
        let closer = isBlock ? UInt8(ascii: "%") : UInt8(ascii: "}")
        var depth = 0
        let tagLine = line(at: position)
        while true {
            while let next = byte(position), Self.isSpace(next) { position += 1 }
            guard let current = byte(position) else {
                throw JinjaError(.syntax, "unexpected end of template inside a tag", line: tagLine)
            }
            if depth == 0 {
                var cursor = position
                var sign: UInt8?
                if current == UInt8(ascii: "-") || (isBlock && current == UInt8(ascii: "+")) {
                    sign = current
                    cursor += 1
                }
                if byte(cursor) == closer, byte(cursor + 1) == UInt8(ascii: "}") {
                    tokens.append(Token(kind: isBlock ? .blockEnd : .variableEnd, line: line(at: position)))
                    if isBlock {
                        position = finishBlockEnd(at: cursor, hadSign: sign)
                    } else {
                        position = cursor + 2
                        if sign == UInt8(ascii: "-") {
                            while let next = byte(position), Self.isSpace(next) { position += 1 }
                        }
                        lineStarting = bytes[position - 1] == UInt8(ascii: "\n")
                    }
                    return
                }
            }
            let tokenLine = line(at: position)
            if current == UInt8(ascii: "'") || current == UInt8(ascii: "\"") {
                tokens.append(Token(kind: .string(try lexString(quote: current)), line: tokenLine))
            } else if Self.isDigit(current) {
                tokens.append(Token(kind: try lexNumber(), line: tokenLine))
            } else if Self.isNameStart(current) {
                let start = position
                while let next = byte(position), Self.isNameStart(next) || Self.isDigit(next) { position += 1 }
                tokens.append(Token(kind: .name(text(start..<position)), line: tokenLine))
            } else if let symbol = Self.symbols.first(where: { matches($0) }) {
                position += symbol.utf8.count
                if symbol == "(" || symbol == "[" || symbol == "{" {
                    depth += 1
                    guard depth <= JinjaLimits.maxNesting else {
                        throw .exceeded(.nesting(levels: JinjaLimits.maxNesting), line: tokenLine)
                    }
                }
                if symbol == ")" || symbol == "]" || symbol == "}" { depth = max(0, depth - 1) }
                tokens.append(Token(kind: .symbol(symbol), line: tokenLine))
            } else {
                throw JinjaError(
                    .syntax, "unexpected character '\(Character(Unicode.Scalar(current)))'", line: tokenLine)
            }
        }
    }

    private func matches(_ symbol: String) -> Bool {
        var offset = position
        for expected in symbol.utf8 {
            guard byte(offset) == expected else { return false }
            offset += 1
        }
        return true
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_")
    }

    private mutating func lexNumber() throws(JinjaError) -> Token.Kind {
        let start = position
        func digits() {
            while let next = byte(position), Self.isDigit(next) || next == UInt8(ascii: "_") { position += 1 }
        }
        digits()
        var isFloat = false
        if byte(position) == UInt8(ascii: "."), let next = byte(position + 1), Self.isDigit(next) {
            isFloat = true
            position += 1
            digits()
        }
        if let next = byte(position), next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            var cursor = position + 1
            if let sign = byte(cursor), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { cursor += 1 }
            if let digit = byte(cursor), Self.isDigit(digit) {
                isFloat = true
                position = cursor
                digits()
            }
        }
        let literal = text(start..<position).replacing("_", with: "")
        if isFloat, let value = Double(literal) { return .float(value) }
        if !isFloat, let value = Int(literal) { return .integer(value) }
        throw JinjaError(.syntax, "invalid number '\(literal)'", line: line(at: start))
    }

    /// A quoted string with Python's escapes (jinja2 decodes literals with `unicode-escape`).
    private mutating func lexString(quote: UInt8) throws(JinjaError) -> String {
        let start = position
        position += 1
        var scalars = String.UnicodeScalarView()
        var runStart = position
        func flush(_ end: Int, _ scalars: inout String.UnicodeScalarView) {
            if end > runStart { scalars.append(contentsOf: text(runStart..<end).unicodeScalars) }
        }
        while let current = byte(position) {
            if current == quote {
                flush(position, &scalars)
                position += 1
                return String(scalars)
            }
            if current == UInt8(ascii: "\\"), let escaped = byte(position + 1) {
                flush(position, &scalars)
                position += 2
                try appendEscape(escaped, to: &scalars, literalStart: start)
                runStart = position
                continue
            }
            position += 1
        }
        throw JinjaError(.syntax, "unterminated string", line: line(at: start))
    }

    private mutating func appendEscape(
        _ escaped: UInt8, to scalars: inout String.UnicodeScalarView, literalStart: Int
    ) throws(JinjaError) {
        switch escaped {
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "'"): scalars.append("'")
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "\n"): break
        case UInt8(ascii: "a"): scalars.append("\u{07}")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "v"): scalars.append("\u{0B}")
        case UInt8(ascii: "0"): scalars.append("\u{00}")
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let width = escaped == UInt8(ascii: "x") ? 2 : (escaped == UInt8(ascii: "u") ? 4 : 8)
            guard position + width <= bytes.count, let value = UInt32(text(position..<position + width), radix: 16),
                let scalar = Unicode.Scalar(value)
            else { throw JinjaError(.syntax, "invalid escape in a string", line: line(at: literalStart)) }
            position += width
            scalars.append(scalar)
        default:
            scalars.append("\\")
            position -= 1
        }
    }
}

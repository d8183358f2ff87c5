import OrderedJSON

extension Renderer {
    /// jinja2's `title` filter: words start after `-`, whitespace, `(`, `{`, `[` or `<`.
    static func titleFilter(_ text: String) -> String {
        var result = ""
        var atWordStart = true
        for character in text {
            if character == "-" || character.isWhitespace || "({[<".contains(character) {
                result.append(character)
                atWordStart = true
            } else {
                result += atWordStart ? character.uppercased() : character.lowercased()
                atWordStart = false
            }
        }
        return result
    }

    static func toInt(_ value: JinjaValue, default fallback: JinjaValue) -> JinjaValue {
        switch value {
        case .int: return value
        case .bool(let flag): return .int(flag ? 1 : 0)
        case .double(let number):
            return number.isFinite && abs(number) < 9.2e18 ? .int(Int(number)) : fallback
        case .string(let text):
            let trimmed = PythonString.strip(text, chars: nil, leading: true, trailing: true).replacing("_", with: "")
            if let number = Int(trimmed) { return .int(number) }
            if let number = Double(trimmed), number.isFinite, abs(number) < 9.2e18 { return .int(Int(number)) }
            return fallback
        default: return fallback
        }
    }

    static func toFloat(_ value: JinjaValue, default fallback: JinjaValue) -> JinjaValue {
        switch value {
        case .double: return value
        case .int(let number): return .double(Double(number))
        case .bool(let flag): return .double(flag ? 1 : 0)
        case .string(let text):
            let trimmed = PythonString.strip(text, chars: nil, leading: true, trailing: true)
            return Double(trimmed).map { .double($0) } ?? fallback
        default: return fallback
        }
    }

    static func round(_ value: JinjaValue, _ arguments: CallArguments, line: Int) throws(JinjaError) -> JinjaValue {
        let precision = arguments.value(0, "precision")?.integerValue ?? 0
        var method = "common"
        if case .string(let name)? = arguments.value(1, "method") { method = name }
        guard let number = value.numberValue else {
            throw JinjaError(.runtime, "round needs a number, not '\(value.typeName)'", line: line)
        }
        if method == "common", case .int = value, precision >= 0 { return value }
        let scale = Foundationless.power(10, Double(precision))
        let rule: FloatingPointRoundingRule =
            switch method {
            case "ceil": .up
            case "floor": .down
            default: .toNearestOrEven
            }
        return .double((number * scale).rounded(rule) / scale)
    }

    /// jinja2's `indent`, sized before it is built: the indentation times the lines must fit the string budget.
    func indent(_ text: String, _ arguments: CallArguments, line: Int) throws(JinjaError) -> String {
        let width = arguments.value(0, "width") ?? .int(4)
        let indention: String
        if case .string(let custom) = width {
            indention = custom
        } else {
            let count = max(0, width.integerValue ?? 4)
            try meter.checkString(count, line: line)
            indention = String(repeating: " ", count: count)
        }
        let first = arguments.value(1, "first")?.isTruthy ?? false
        let blank = arguments.value(2, "blank")?.isTruthy ?? false
        var lines = PythonString.splitlines(text + "\n")
        let added = RenderMeter.product(indention.utf8.count, lines.count + 1)
        try meter.checkString(RenderMeter.sum(text.utf8.count + lines.count, added), line: line)
        try meter.chargeItems(text.utf8.count + lines.count, line: line)
        var result: String
        if blank {
            result = lines.joined(separator: "\n" + indention)
        } else {
            result = lines.isEmpty ? "" : lines.removeFirst()
            if !lines.isEmpty {
                result += "\n" + lines.map { $0.isEmpty ? $0 : indention + $0 }.joined(separator: "\n")
            }
        }
        return first ? indention + result : result
    }

    static func wordCount(_ text: String) -> Int {
        var count = 0
        var inWord = false
        for scalar in text.unicodeScalars {
            let isWord = scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "_"
            if isWord, !inWord { count += 1 }
            inWord = isWord
        }
        return count
    }

    /// transformers' `tojson`: `json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False)`.
    /// Sized before it is serialized: the strings and keys alone must fit the string budget, and the text is
    /// checked again once built (escapes and indentation grow it by a bounded factor).
    func toJSON(_ value: JinjaValue, _ arguments: CallArguments, line: Int) throws(JinjaError) -> String {
        let sortKeys = arguments.value(3, "sort_keys")?.isTruthy ?? false
        var size = JSONSize()
        size.measure(value, level: 0, limit: limits.maxStringBytes)
        try meter.checkString(size.bytes, line: line)
        try meter.chargeItems(size.items * 16, line: line)
        guard let json = value.jsonValue(sortKeys: sortKeys) else {
            throw JinjaError(.runtime, "Object of type \(value.typeName) is not JSON serializable", line: line)
        }
        var layout = JSONLayout.python
        let indent = arguments.value(1, "indent")
        if let indent, !indent.isNone {
            guard let spaces = indent.integerValue else {
                throw JinjaError(.unsupported, "tojson indent must be an integer", line: line)
            }
            layout = .pythonIndented(max(0, spaces))
        }
        if let separators = arguments.value(2, "separators")?.sequenceElements {
            guard separators.count == 2, case .string(let item) = separators[0], case .string(let key) = separators[1]
            else { throw JinjaError(.runtime, "tojson separators must be two strings", line: line) }
            layout.itemSeparator = item
            layout.keySeparator = key
        }
        let perItem = layout.itemSeparator.utf8.count + layout.keySeparator.utf8.count + 1
        var bound = RenderMeter.sum(size.bytes, RenderMeter.product(size.items, perItem))
        if let spaces = layout.indent { bound = RenderMeter.sum(bound, RenderMeter.product(size.levels, spaces)) }
        try meter.checkString(bound, line: line)
        let text = json.serialized(layout)
        try meter.checkString(text.utf8.count, line: line)
        guard arguments.value(4, "ensure_ascii")?.isTruthy ?? false else { return text }
        try meter.checkString(RenderMeter.product(text.utf8.count, 2), line: line)
        var escaped = ""
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                escaped.unicodeScalars.append(scalar)
            } else {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        return escaped
    }

    static func escapeHTML(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&#34;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}

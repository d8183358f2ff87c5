import OrderedJSON

extension Renderer {
    mutating func applyFilter(
        _ name: String, to value: JinjaValue, _ arguments: Arguments, line: Int
    ) throws(JinjaError) -> JinjaValue {
        let arguments = try evaluateArguments(arguments)
        func argument(_ position: Int, _ key: String) -> JinjaValue? { arguments.value(position, key) }
        func text() throws(JinjaError) -> String {
            if case .undefined = value, name != "string" { return "" }
            return value.pythonString
        }
        switch name {
        case "length", "count":
            switch value {
            case .string(let string): return .int(string.unicodeScalars.count)
            case .array(let items), .tuple(let items): return .int(items.count)
            case .object(let object): return .int(object.count)
            case .undefined: return .int(0)
            default: throw JinjaError(.runtime, "object of type '\(value.typeName)' has no len()", line: line)
            }
        case "first", "last":
            let items = try iterate(value, line: line)
            return (name == "first" ? items.first : items.last) ?? .undefined
        case "join":
            let separator = argument(0, "d")?.pythonString ?? ""
            var items = try iterate(value, line: line)
            if let attribute = argument(1, "attribute") {
                items = try items.map { i throws(JinjaError) in try path(attribute, of: i, line: line) }
            }
            return .string(items.map(\.pythonString).joined(separator: separator))
        case "default", "d":
            let useDefault = (argument(1, "boolean")?.isTruthy ?? false) ? !value.isTruthy : value.isUndefined
            return useDefault ? (argument(0, "default_value") ?? .string("")) : value
        case "trim":
            return .string(
                PythonString.strip(try text(), chars: argument(0, "chars")?.pythonString, leading: true, trailing: true)
            )
        case "upper": return .string(try text().uppercased())
        case "lower": return .string(try text().lowercased())
        case "title": return .string(Self.titleFilter(try text()))
        case "capitalize": return .string(PythonString.capitalize(try text()))
        case "replace":
            let old = argument(0, "old")?.pythonString ?? ""
            let new = argument(1, "new")?.pythonString ?? ""
            return .string(PythonString.replace(try text(), old, new, count: argument(2, "count")?.integerValue ?? -1))
        case "list": return .array(try iterate(value, line: line))
        case "string": return .string(value.pythonString)
        case "int": return Self.toInt(value, default: argument(0, "default") ?? .int(0))
        case "float": return Self.toFloat(value, default: argument(0, "default") ?? .double(0))
        case "abs":
            switch value {
            case .int(let number) where number != Int.min: return .int(abs(number))
            case .double(let number): return .double(abs(number))
            case .bool(let flag): return .int(flag ? 1 : 0)
            default: throw JinjaError(.runtime, "bad operand type for abs(): '\(value.typeName)'", line: line)
            }
        case "round": return try Self.round(value, arguments, line: line)
        case "items":
            switch value {
            case .object(let object): return .array(object.members.map { .tuple([.string($0.key), $0.value]) })
            case .undefined: return .array([])
            default: throw JinjaError(.runtime, "can only get item pairs from a mapping", line: line)
            }
        case "dictsort":
            guard case .object(let object) = value else {
                throw JinjaError(.runtime, "dictsort needs a mapping", line: line)
            }
            let caseSensitive = argument(0, "case_sensitive")?.isTruthy ?? false
            let byValue = argument(1, "by")?.pythonString == "value"
            let pairs = object.members.map { JinjaValue.tuple([.string($0.key), $0.value]) }
            let sorted = try sortValues(pairs, reverse: argument(2, "reverse")?.isTruthy ?? false, line: line) {
                pair throws(JinjaError) in
                let part = pair.sequenceElements?[byValue ? 1 : 0] ?? .undefined
                return caseSensitive ? part : Self.foldCase(part)
            }
            return .array(sorted)
        case "map", "select", "reject", "selectattr", "rejectattr":
            return try mapOrSelect(name, value, arguments, line: line)
        case "unique":
            let caseSensitive = argument(0, "case_sensitive")?.isTruthy ?? false
            var seen: [JinjaValue] = []
            var result: [JinjaValue] = []
            for item in try iterate(value, line: line) {
                var key = item
                if let attribute = argument(1, "attribute") { key = try path(attribute, of: item, line: line) }
                if !caseSensitive { key = Self.foldCase(key) }
                if !seen.contains(where: { $0.pythonEquals(key) }) {
                    seen.append(key)
                    result.append(item)
                }
            }
            return .array(result)
        case "sum":
            var total = argument(1, "start") ?? .int(0)
            for item in try iterate(value, line: line) {
                let term =
                    try argument(0, "attribute").map { a throws(JinjaError) in try path(a, of: item, line: line) }
                    ?? item
                total = try binary("+", total, term, line: line)
            }
            return total
        case "min", "max":
            let caseSensitive = argument(0, "case_sensitive")?.isTruthy ?? false
            let items = try iterate(value, line: line)
            guard !items.isEmpty else { return .undefined }
            let sorted = try sortValues(items, reverse: false, line: line) { item throws(JinjaError) in
                let key =
                    try argument(1, "attribute").map { a throws(JinjaError) in try path(a, of: item, line: line) }
                    ?? item
                return caseSensitive ? key : Self.foldCase(key)
            }
            return (name == "min" ? sorted.first : sorted.last) ?? .undefined
        case "sort":
            let caseSensitive = argument(1, "case_sensitive")?.isTruthy ?? false
            return .array(
                try sortValues(
                    try iterate(value, line: line), reverse: argument(0, "reverse")?.isTruthy ?? false, line: line
                ) {
                    item throws(JinjaError) in
                    let key =
                        try argument(2, "attribute").map { a throws(JinjaError) in try path(a, of: item, line: line) }
                        ?? item
                    return caseSensitive ? key : Self.foldCase(key)
                })
        case "reverse":
            if case .string(let string) = value {
                return .string(String(String.UnicodeScalarView(string.unicodeScalars.reversed())))
            }
            return .array(try iterate(value, line: line).reversed())
        case "batch":
            guard let size = argument(0, "linecount")?.integerValue, size > 0 else {
                throw JinjaError(.runtime, "batch needs a positive size", line: line)
            }
            let items = try iterate(value, line: line)
            var batches: [JinjaValue] = []
            var start = 0
            while start < items.count {
                var batch = Array(items[start..<min(start + size, items.count)])
                if batch.count < size, let fill = argument(1, "fill_with"), !fill.isNone {
                    batch += Array(repeating: fill, count: size - batch.count)
                }
                batches.append(.array(batch))
                start += size
            }
            return .array(batches)
        case "indent": return .string(Self.indent(try text(), arguments))
        case "wordcount": return .int(Self.wordCount(try text()))
        case "tojson": return .string(try Self.toJSON(value, arguments, line: line))
        case "safe": return value
        case "e", "escape": return .string(Self.escapeHTML(value.pythonString))
        default:
            throw JinjaError(.unsupported, "the filter '\(name)' is not supported", line: line)
        }
    }

    /// jinja2's attribute paths for `map(attribute=)`, `selectattr` and friends: dotted, items first.
    func path(_ attribute: JinjaValue, of item: JinjaValue, line: Int) throws(JinjaError) -> JinjaValue {
        let parts: [String]
        if case .int(let number) = attribute {
            parts = [String(number)]
        } else {
            parts = attribute.pythonString.split(separator: ".").map(String.init)
        }
        var current = item
        for part in parts {
            let key: JinjaValue = Int(part).map { .int($0) } ?? .string(part)
            if case .undefined = current { return .undefined }
            current = try self.item(key, of: current, base: .literal(current), line: line)
        }
        return current
    }

    func sortValues(
        _ items: [JinjaValue], reverse: Bool, line: Int, key: (JinjaValue) throws(JinjaError) -> JinjaValue
    ) throws(JinjaError) -> [JinjaValue] {
        var keyed: [(key: JinjaValue, value: JinjaValue)] = []
        for item in items { keyed.append((try key(item), item)) }
        var failure: JinjaError?
        keyed.sort { left, right in
            guard failure == nil else { return false }
            let (a, b) = reverse ? (right.key, left.key) : (left.key, right.key)
            guard let less = a.pythonLess(b) else {
                failure = JinjaError(
                    .runtime, "'<' not supported between '\(a.typeName)' and '\(b.typeName)'", line: line)
                return false
            }
            return less
        }
        if let failure { throw failure }
        return keyed.map(\.value)
    }

    static func foldCase(_ value: JinjaValue) -> JinjaValue {
        if case .string(let text) = value { return .string(text.lowercased()) }
        return value
    }

    mutating func mapOrSelect(
        _ name: String, _ value: JinjaValue, _ arguments: CallArguments, line: Int
    ) throws(JinjaError) -> JinjaValue {
        let items = try iterate(value, line: line)
        var rest = arguments
        var result: [JinjaValue] = []
        if name == "map" {
            if let attribute = arguments.keyword.first(where: { $0.name == "attribute" })?.value {
                let fallback = arguments.keyword.first { $0.name == "default" }?.value
                for item in items {
                    let found = try path(attribute, of: item, line: line)
                    result.append(found.isUndefined ? (fallback ?? found) : found)
                }
                return .array(result)
            }
            guard case .string(let filter) = rest.positional.first else {
                throw JinjaError(.runtime, "map needs a filter name or attribute=", line: line)
            }
            guard Parser.filters.contains(filter) else {
                throw JinjaError(.unsupported, "the filter '\(filter)' is not supported", line: line)
            }
            rest.positional.removeFirst()
            for item in items {
                result.append(try applyEvaluatedFilter(filter, to: item, rest, line: line))
            }
            return .array(result)
        }
        var attribute: JinjaValue?
        if name.hasSuffix("attr") {
            guard !rest.positional.isEmpty else { throw JinjaError(.runtime, "\(name) needs an attribute", line: line) }
            attribute = rest.positional.removeFirst()
        }
        var test: String?
        if !rest.positional.isEmpty {
            test = rest.positional.removeFirst().pythonString
            guard let test, Parser.tests.contains(test) else {
                throw JinjaError(.unsupported, "the test '\(test ?? "")' is not supported", line: line)
            }
        }
        let keep = name.hasPrefix("select")
        for item in items {
            let subject = try attribute.map { a throws(JinjaError) in try path(a, of: item, line: line) } ?? item
            let passed =
                try test.map { t throws(JinjaError) in try evaluatedTest(t, subject, rest.positional, line: line) }
                ?? subject.isTruthy
            if passed == keep { result.append(item) }
        }
        return .array(result)
    }

    mutating func applyEvaluatedFilter(
        _ name: String, to value: JinjaValue, _ arguments: CallArguments, line: Int
    ) throws(JinjaError) -> JinjaValue {
        let expressions = Arguments(
            positional: arguments.positional.map { .literal($0) },
            keyword: arguments.keyword.map { ($0.name, .literal($0.value)) })
        return try applyFilter(name, to: value, expressions, line: line)
    }
}

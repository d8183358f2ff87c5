import OrderedJSON

extension Renderer {
    mutating func applyFilter(
        _ name: String, to value: JinjaValue, _ arguments: Arguments, line: Int
    ) throws(JinjaError) -> JinjaValue {
        let arguments = try evaluateArguments(arguments)
        try meter.charge(line: line)
        func argument(_ position: Int, _ key: String) -> JinjaValue? { arguments.value(position, key) }
        func argumentText(_ position: Int, _ key: String) throws(JinjaError) -> String? {
            try argument(position, key).map { a throws(JinjaError) in try self.text(a, line: line) }
        }
        func text() throws(JinjaError) -> String {
            if case .undefined = value, name != "string" { return "" }
            let text = try self.text(value, line: line)
            try meter.chargeItems(text.utf8.count, line: line)
            return text
        }
        /// A result whose size grows by a small factor over its input, checked once it is built.
        func bounded(_ result: String) throws(JinjaError) -> JinjaValue {
            try meter.checkString(result.utf8.count, line: line)
            return .string(result)
        }
        switch name {
        case "length", "count":
            switch value {
            case .string(let string):
                try meter.chargeItems(string.utf8.count, line: line)
                return .int(string.unicodeScalars.count)
            case .array(let items), .tuple(let items): return .int(items.count)
            case .object(let object): return .int(object.count)
            case .undefined: return .int(0)
            default: throw JinjaError(.runtime, "object of type '\(value.typeName)' has no len()", line: line)
            }
        case "first", "last":
            if case .string(let string) = value {
                let scalar = name == "first" ? string.unicodeScalars.first : string.unicodeScalars.last
                return scalar.map { .string(String($0)) } ?? .undefined
            }
            let items = try iterate(value, line: line)
            return (name == "first" ? items.first : items.last) ?? .undefined
        case "join":
            let separator = try argumentText(0, "d") ?? ""
            var items = try iterate(value, line: line)
            if let attribute = argument(1, "attribute") {
                items = try items.map { i throws(JinjaError) in try path(attribute, of: i, line: line) }
            }
            var parts: [String] = []
            parts.reserveCapacity(items.count)
            for item in items { parts.append(try self.text(item, line: line)) }
            return .string(try joined(parts, separator: separator, line: line))
        case "default", "d":
            let useDefault = (argument(1, "boolean")?.isTruthy ?? false) ? !value.isTruthy : value.isUndefined
            return useDefault ? (argument(0, "default_value") ?? .string("")) : value
        case "trim":
            return .string(
                PythonString.strip(try text(), chars: try argumentText(0, "chars"), leading: true, trailing: true))
        case "upper": return try bounded(try text().uppercased())
        case "lower": return try bounded(try text().lowercased())
        case "title": return try bounded(Self.titleFilter(try text()))
        case "capitalize": return try bounded(PythonString.capitalize(try text()))
        case "replace":
            let old = try argumentText(0, "old") ?? ""
            let new = try argumentText(1, "new") ?? ""
            return .string(
                try replaced(try text(), old, new, count: argument(2, "count")?.integerValue ?? -1, line: line))
        case "list": return .array(try iterate(value, line: line))
        case "string": return .string(try self.text(value, line: line))
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
            case .object(let object):
                let pairs = object.members.map { JinjaValue.tuple([.string($0.key), $0.value]) }
                try checkDepth(of: pairs, line: line)
                return .array(pairs)
            case .undefined: return .array([])
            default: throw JinjaError(.runtime, "can only get item pairs from a mapping", line: line)
            }
        case "dictsort":
            guard case .object(let object) = value else {
                throw JinjaError(.runtime, "dictsort needs a mapping", line: line)
            }
            let caseSensitive = argument(0, "case_sensitive")?.isTruthy ?? false
            let byValue = try argumentText(1, "by") == "value"
            let pairs = object.members.map { JinjaValue.tuple([.string($0.key), $0.value]) }
            try checkDepth(of: pairs, line: line)
            try meter.chargeItems(pairs.count * 16, line: line)
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
                try meter.chargeItems(seen.count, line: line)
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
                try meter.charge(line: line)
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
            try meter.chargeItems(items.count * 16, line: line)
            let sorted = try sortValues(items, reverse: false, line: line) { item throws(JinjaError) in
                let key =
                    try argument(1, "attribute").map { a throws(JinjaError) in try path(a, of: item, line: line) }
                    ?? item
                return caseSensitive ? key : Self.foldCase(key)
            }
            return (name == "min" ? sorted.first : sorted.last) ?? .undefined
        case "sort":
            try meter.chargeItems((value.sequenceElements?.count ?? 0) * 16, line: line)
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
            try meter.chargeItems(value.sequenceElements?.count ?? 0, line: line)
            if case .string(let string) = value {
                try meter.chargeItems(string.utf8.count, line: line)
                return .string(String(String.UnicodeScalarView(string.unicodeScalars.reversed())))
            }
            return .array(try iterate(value, line: line).reversed())
        case "batch":
            guard let size = argument(0, "linecount")?.integerValue, size > 0 else {
                throw JinjaError(.runtime, "batch needs a positive size", line: line)
            }
            try meter.checkList(size, line: line)
            let items = try iterate(value, line: line)
            try meter.chargeItems(items.count + size, line: line)
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
            try checkDepth(of: batches, line: line)
            return .array(batches)
        case "indent": return .string(try indent(try text(), arguments, line: line))
        case "wordcount": return .int(Self.wordCount(try text()))
        case "tojson": return .string(try toJSON(value, arguments, line: line))
        case "safe": return value
        case "e", "escape":
            let plain = try self.text(value, line: line)
            try meter.chargeItems(plain.utf8.count, line: line)
            return try bounded(Self.escapeHTML(plain))
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
            parts = try text(attribute, line: line).split(separator: ".").map(String.init)
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
        try meter.chargeItems(items.count, line: line)
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
            test = try text(rest.positional.removeFirst(), line: line)
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

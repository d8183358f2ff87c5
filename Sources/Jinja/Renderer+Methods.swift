extension Renderer {
    func callMethod(
        _ name: String, on receiver: JinjaValue, _ arguments: CallArguments, line: Int
    ) throws(JinjaError) -> JinjaValue {
        switch receiver {
        case .string(let text): return try stringMethod(name, text, arguments, line: line)
        case .object(let object):
            switch name {
            case "items":
                let pairs = object.members.map { JinjaValue.tuple([.string($0.key), $0.value]) }
                try checkDepth(of: pairs, line: line)
                return .array(pairs)
            case "keys": return .array(object.members.map { .string($0.key) })
            case "values": return .array(object.members.map(\.value))
            default:
                guard case .string(let key) = arguments.value(0, "key") else {
                    return arguments.value(1, "default") ?? .none
                }
                return object[key] ?? arguments.value(1, "default") ?? .none
            }
        case .array(let elements), .tuple(let elements):
            try meter.chargeItems(elements.count, line: line)
            let needle = arguments.value(0, "value") ?? .undefined
            if name == "count" { return .int(elements.filter { $0.pythonEquals(needle) }.count) }
            guard let index = elements.firstIndex(where: { $0.pythonEquals(needle) }) else {
                throw JinjaError(.runtime, "\(needle.pythonRepr) is not in list", line: line)
            }
            return .int(index)
        case .loop(let loop):
            guard !arguments.positional.isEmpty else {
                throw JinjaError(.runtime, "no items for cycling given", line: line)
            }
            return arguments.positional[loop.index0 % arguments.positional.count]
        default:
            throw JinjaError(.runtime, "'\(receiver.typeName)' object has no method '\(name)'", line: line)
        }
    }

    func stringArgument(_ arguments: CallArguments, _ position: Int, _ name: String, line: Int) throws(JinjaError)
        -> String?
    {
        switch arguments.value(position, name) {
        case nil, .none?: return nil
        case .string(let text)?: return text
        case let other?: throw JinjaError(.runtime, "expected a string argument, got '\(other.typeName)'", line: line)
        }
    }

    func stringMethod(_ name: String, _ text: String, _ arguments: CallArguments, line: Int) throws(JinjaError)
        -> JinjaValue
    {
        try meter.chargeItems(text.utf8.count, line: line)
        func bounded(_ result: String) throws(JinjaError) -> JinjaValue {
            try meter.checkString(result.utf8.count, line: line)
            return .string(result)
        }
        switch name {
        case "strip", "lstrip", "rstrip":
            let chars = try stringArgument(arguments, 0, "chars", line: line)
            return .string(
                PythonString.strip(text, chars: chars, leading: name != "rstrip", trailing: name != "lstrip"))
        case "split", "rsplit":
            let separator = try stringArgument(arguments, 0, "sep", line: line)
            let limit = arguments.value(1, "maxsplit")?.integerValue ?? -1
            if separator == "" { throw JinjaError(.runtime, "empty separator", line: line) }
            try checkSplit(text, separator: separator, line: line)
            let parts =
                name == "split"
                ? PythonString.split(text, separator: separator, limit: limit)
                : PythonString.rsplit(text, separator: separator, limit: limit)
            return .array(parts.map { .string($0) })
        case "startswith", "endswith":
            let candidates: [JinjaValue]
            switch arguments.value(0, "prefix") {
            case .string?: candidates = [arguments.value(0, "prefix") ?? .undefined]
            case .tuple(let items)?, .array(let items)?: candidates = items
            default: throw JinjaError(.runtime, "\(name) first arg must be str or a tuple of str", line: line)
            }
            let scalars = Array(text.unicodeScalars)
            for case .string(let candidate) in candidates {
                let part = Array(candidate.unicodeScalars)
                if name == "startswith" ? scalars.starts(with: part) : scalars.reversed().starts(with: part.reversed())
                {
                    return .bool(true)
                }
            }
            return .bool(false)
        case "upper": return try bounded(text.uppercased())
        case "lower": return try bounded(text.lowercased())
        case "title": return try bounded(PythonString.title(text))
        case "capitalize": return try bounded(PythonString.capitalize(text))
        case "replace":
            guard let old = try stringArgument(arguments, 0, "old", line: line),
                let new = try stringArgument(arguments, 1, "new", line: line)
            else { throw JinjaError(.runtime, "replace() needs two strings", line: line) }
            let count = arguments.value(2, "count")?.integerValue ?? -1
            return .string(try replaced(text, old, new, count: count, line: line))
        case "find", "rfind", "index":
            guard let part = try stringArgument(arguments, 0, "sub", line: line) else {
                throw JinjaError(.runtime, "\(name)() needs a string", line: line)
            }
            let found = PythonString.find(text, part, last: name == "rfind")
            if name == "index", found < 0 { throw JinjaError(.runtime, "substring not found", line: line) }
            return .int(found)
        case "count":
            guard let part = try stringArgument(arguments, 0, "sub", line: line) else {
                throw JinjaError(.runtime, "count() needs a string", line: line)
            }
            return .int(PythonString.count(text, part))
        case "splitlines":
            let lines = PythonString.splitlines(text)
            try meter.checkList(lines.count, line: line)
            return .array(lines.map { .string($0) })
        case "join":
            var parts: [String] = []
            for item in try iterate(arguments.value(0, "iterable") ?? .undefined, line: line) {
                guard case .string(let part) = item else {
                    throw JinjaError(
                        .runtime, "sequence item: expected str instance, \(item.typeName) found", line: line)
                }
                parts.append(part)
            }
            return .string(try joined(parts, separator: text, line: line))
        case "format":
            return .string(
                try PythonString.format(text, arguments, limit: limits.maxStringBytes, line: line) {
                    v throws(JinjaError) in try self.text(v, line: line)
                })
        case "isdigit", "isalpha", "isalnum", "isspace", "islower", "isupper":
            return .bool(PythonString.classify(text, name))
        default:
            throw JinjaError(.runtime, "'str' object has no method '\(name)'", line: line)
        }
    }
}

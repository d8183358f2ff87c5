extension Renderer {
    mutating func evaluate(_ expression: Expression) throws(JinjaError) -> JinjaValue {
        try enter(line: nil)
        defer { depth -= 1 }
        switch expression {
        case .literal(let value):
            return value
        case .name(let name, _):
            return lookup(name)
        case .list(let items):
            var values: [JinjaValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try evaluate(item)) }
            try checkDepth(of: values, line: nil)
            return .array(values)
        case .tuple(let items):
            var values: [JinjaValue] = []
            for item in items { values.append(try evaluate(item)) }
            try checkDepth(of: values, line: nil)
            return .tuple(values)
        case .dict(let members):
            var object = JinjaObject()
            for member in members {
                guard case .string(let key) = try evaluate(member.key) else {
                    throw JinjaError(.unsupported, "dict keys other than strings are not supported")
                }
                object[key] = try evaluate(member.value)
            }
            try checkDepth(of: object.members.map(\.value), line: nil)
            return .object(object)
        case .attribute(let base, let name, let line):
            let object = try evaluate(base)
            return try attribute(name, of: object, base: base, line: line)
        case .item(let base, let key, let line):
            let object = try evaluate(base)
            let index = try evaluate(key)
            return try item(index, of: object, base: base, line: line)
        case .slice(let base, let start, let stop, let step, let line):
            let object = try evaluate(base)
            let first = try start.map { e throws(JinjaError) in try evaluate(e) }
            let last = try stop.map { e throws(JinjaError) in try evaluate(e) }
            let stride = try step.map { e throws(JinjaError) in try evaluate(e) }
            return try slice(object, start: first, stop: last, step: stride, line: line)
        case .call(let callee, let arguments, let line):
            return try call(callee, arguments, line: line)
        case .filter(let base, let name, let arguments, let line):
            let subject = try evaluate(base)
            return try applyFilter(name, to: subject, arguments, line: line)
        case .test(let base, let name, let arguments, let negated, let line):
            let subject = try evaluate(base)
            let result = try applyTest(name, to: subject, arguments, line: line)
            return .bool(result != negated)
        case .unary(let op, let operand, let line):
            let value = try evaluate(operand)
            switch (op, value) {
            case ("-", .int(let number)) where number != Int.min: return .int(-number)
            case ("-", .double(let number)): return .double(-number)
            case ("-", .bool(let flag)): return .int(flag ? -1 : 0)
            case ("+", .int), ("+", .double): return value
            case ("+", .bool(let flag)): return .int(flag ? 1 : 0)
            default:
                throw JinjaError(.runtime, "bad operand type for unary \(op): '\(value.typeName)'", line: line)
            }
        case .binary(let op, let left, let right, let line):
            let leftValue = try evaluate(left)
            let rightValue = try evaluate(right)
            return try binary(op, leftValue, rightValue, line: line)
        case .concat(let parts, let line):
            var text = ""
            for part in parts {
                let piece = try self.text(try evaluate(part), line: line)
                try meter.checkString(text.utf8.count + piece.utf8.count, line: line)
                text += piece
            }
            return .string(text)
        case .and(let left, let right):
            let value = try evaluate(left)
            return value.isTruthy ? try evaluate(right) : value
        case .or(let left, let right):
            let value = try evaluate(left)
            return value.isTruthy ? value : try evaluate(right)
        case .not(let operand):
            return .bool(!(try evaluate(operand).isTruthy))
        case .compare(let first, let operations, let line):
            var left = try evaluate(first)
            for operation in operations {
                let right = try evaluate(operation.operand)
                guard try compare(operation.op, left, right, line: line) else { return .bool(false) }
                left = right
            }
            return .bool(true)
        case .conditional(let test, let then, let otherwise):
            if try evaluate(test).isTruthy { return try evaluate(then) }
            return try otherwise.map { e throws(JinjaError) in try evaluate(e) } ?? .undefined
        }
    }

    static let dictMethods: Set<String> = ["items", "keys", "values", "get"]
    static let stringMethods: Set<String> = [
        "strip", "lstrip", "rstrip", "split", "rsplit", "startswith", "endswith", "upper", "lower", "title",
        "capitalize", "replace", "find", "rfind", "count", "format", "splitlines", "join", "isdigit", "isalpha",
        "isalnum", "isspace", "islower", "isupper", "index",
    ]
    static let listMethods: Set<String> = ["index", "count"]

    /// `base.name`: Python attribute first (methods), then the item of that name.
    func attribute(_ name: String, of value: JinjaValue, base: Expression, line: Int) throws(JinjaError) -> JinjaValue {
        if name.hasPrefix("_") { return .undefined }
        switch value {
        case .undefined:
            throw undefinedError(base, line: line)
        case .object(let object):
            if Self.dictMethods.contains(name) { return method(value, name) }
            return object[name] ?? .undefined
        case .string:
            return Self.stringMethods.contains(name) ? method(value, name) : .undefined
        case .array, .tuple:
            return Self.listMethods.contains(name) ? method(value, name) : .undefined
        case .namespace(let handle):
            return namespaces[handle.id][name] ?? .undefined
        case .loop(let loop):
            return loopAttribute(name, of: loop)
        default:
            return .undefined
        }
    }

    func method(_ receiver: JinjaValue, _ name: String) -> JinjaValue {
        .callable(JinjaCallable(kind: .method(receiver: receiver, name: name)))
    }

    func loopAttribute(_ name: String, of loop: JinjaLoop) -> JinjaValue {
        switch name {
        case "index": .int(loop.index0 + 1)
        case "index0": .int(loop.index0)
        case "revindex": .int(loop.length - loop.index0)
        case "revindex0": .int(loop.length - loop.index0 - 1)
        case "first": .bool(loop.index0 == 0)
        case "last": .bool(loop.index0 == loop.length - 1)
        case "length": .int(loop.length)
        case "depth": .int(loop.depth0 + 1)
        case "depth0": .int(loop.depth0)
        case "previtem": loop.index0 > 0 ? loop.items[loop.index0 - 1] : .undefined
        case "nextitem": loop.index0 + 1 < loop.length ? loop.items[loop.index0 + 1] : .undefined
        case "cycle": method(.loop(loop), "cycle")
        default: .undefined
        }
    }

    func undefinedError(_ base: Expression, line: Int) -> JinjaError {
        switch base {
        case .name(let name, _): JinjaError(.runtime, "'\(name)' is undefined", line: line)
        default: JinjaError(.runtime, "an undefined value has no attributes or items", line: line)
        }
    }

    /// `base[key]`: the item first, then the attribute of that name.
    func item(_ key: JinjaValue, of value: JinjaValue, base: Expression, line: Int) throws(JinjaError) -> JinjaValue {
        switch (value, key) {
        case (.undefined, _):
            throw undefinedError(base, line: line)
        case (.object(let object), .string(let name)):
            return object[name] ?? .undefined
        case (.array(let elements), _), (.tuple(let elements), _):
            guard let index = key.integerValue else { return .undefined }
            let resolved = index < 0 ? elements.count + index : index
            return elements.indices.contains(resolved) ? elements[resolved] : .undefined
        case (.string(let text), _):
            guard let index = key.integerValue else { return .undefined }
            try meter.chargeItems(text.utf8.count, line: line)
            let scalars = Array(text.unicodeScalars)
            let resolved = index < 0 ? scalars.count + index : index
            return scalars.indices.contains(resolved) ? .string(String(scalars[resolved])) : .undefined
        case (.namespace, .string(let name)), (.loop, .string(let name)):
            return try attribute(name, of: value, base: base, line: line)
        default:
            return .undefined
        }
    }

    /// Python slicing for lists, tuples and strings.
    func slice(
        _ value: JinjaValue, start: JinjaValue?, stop: JinjaValue?, step: JinjaValue?, line: Int
    ) throws(JinjaError) -> JinjaValue {
        func bound(_ bound: JinjaValue?) throws(JinjaError) -> Int? {
            guard let bound, !(bound.isNone) else { return nil }
            guard let number = bound.integerValue else {
                throw JinjaError(.runtime, "slice indices must be integers or None", line: line)
            }
            return number
        }
        let stepValue = try bound(step) ?? 1
        guard stepValue != 0 else { throw JinjaError(.runtime, "slice step cannot be zero", line: line) }
        func indices(_ count: Int) throws(JinjaError) -> [Int] {
            func clamp(_ index: Int?, _ fallback: Int) -> Int {
                guard var index else { return fallback }
                if index < 0 { index += count }
                return stepValue > 0 ? min(max(index, 0), count) : min(max(index, -1), count - 1)
            }
            let first = clamp(try bound(start), stepValue > 0 ? 0 : count - 1)
            let last = clamp(try bound(stop), stepValue > 0 ? count : -1)
            return Array(stride(from: first, to: last, by: stepValue))
        }
        try meter.chargeItems(value.sequenceElements?.count ?? 0, line: line)
        switch value {
        case .array(let elements): return .array(try indices(elements.count).map { elements[$0] })
        case .tuple(let elements): return .tuple(try indices(elements.count).map { elements[$0] })
        case .string(let text):
            try meter.chargeItems(text.utf8.count, line: line)
            let scalars = Array(text.unicodeScalars)
            var result = String.UnicodeScalarView()
            for index in try indices(scalars.count) { result.append(scalars[index]) }
            return .string(String(result))
        case .undefined:
            throw JinjaError(.runtime, "an undefined value cannot be sliced", line: line)
        default:
            throw JinjaError(.runtime, "'\(value.typeName)' object is not subscriptable", line: line)
        }
    }

    func compare(_ op: String, _ left: JinjaValue, _ right: JinjaValue, line: Int) throws(JinjaError) -> Bool {
        switch op {
        case "==": return left.pythonEquals(right)
        case "!=": return !left.pythonEquals(right)
        case "in": return try contains(right, left, line: line)
        case "not in": return !(try contains(right, left, line: line))
        default:
            let ordered: Bool?
            switch op {
            case "<": ordered = left.pythonLess(right)
            case ">": ordered = right.pythonLess(left)
            case "<=": ordered = right.pythonLess(left).map { !$0 }
            default: ordered = left.pythonLess(right).map { !$0 }
            }
            guard let ordered else {
                throw JinjaError(
                    .runtime, "'\(op)' not supported between instances of '\(left.typeName)' and '\(right.typeName)'",
                    line: line)
            }
            return ordered
        }
    }

    /// Python's `needle in container`.
    func contains(_ container: JinjaValue, _ needle: JinjaValue, line: Int) throws(JinjaError) -> Bool {
        switch container {
        case .string(let text):
            guard case .string(let part) = needle else {
                throw JinjaError(.runtime, "'in <string>' requires string as left operand", line: line)
            }
            try meter.chargeItems(text.utf8.count, line: line)
            return part.isEmpty || PythonString.find(text, part, last: false) >= 0
        case .array(let elements), .tuple(let elements):
            try meter.chargeItems(elements.count, line: line)
            return elements.contains { $0.pythonEquals(needle) }
        case .object(let object):
            guard case .string(let key) = needle else { return false }
            return object[key] != nil
        case .undefined:
            return false
        default:
            throw JinjaError(.runtime, "argument of type '\(container.typeName)' is not iterable", line: line)
        }
    }
}

extension JinjaValue {
    var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }
}

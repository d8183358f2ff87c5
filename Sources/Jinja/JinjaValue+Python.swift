/// Python's behaviour for values: truthiness, `str()`, `repr()`, `==` and ordering.
extension JinjaValue {
    /// Python's `bool(value)`; undefined is falsy.
    public var isTruthy: Bool {
        switch self {
        case .undefined, .none: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .array(let elements), .tuple(let elements): !elements.isEmpty
        case .object(let object): object.count > 0
        case .namespace, .loop, .callable: true
        }
    }

    /// What `{{ value }}` prints: Python's `str()`, with undefined printing nothing.
    public var pythonString: String {
        switch self {
        case .undefined: ""
        case .string(let value): value
        default: pythonRepr
        }
    }

    /// Python's `repr()`, which is how values print inside lists and dicts.
    public var pythonRepr: String {
        switch self {
        case .undefined: ""
        case .none: "None"
        case .bool(let value): value ? "True" : "False"
        case .int(let value): String(value)
        case .double(let value): Self.pythonFloat(value)
        case .string(let value): Self.pythonQuoted(value)
        case .array(let elements): "[" + elements.map(\.pythonRepr).joined(separator: ", ") + "]"
        case .tuple(let elements):
            elements.count == 1
                ? "(" + elements[0].pythonRepr + ",)" : "(" + elements.map(\.pythonRepr).joined(separator: ", ") + ")"
        case .object(let object):
            "{" + object.members.map { Self.pythonQuoted($0.key) + ": " + $0.value.pythonRepr }.joined(separator: ", ")
                + "}"
        case .namespace: "<Namespace>"
        case .loop: "<LoopContext>"
        case .callable: "<function>"
        }
    }

    /// Python's `repr(float)`.
    static func pythonFloat(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return value.description
    }

    /// Python's `repr(str)`: single quotes unless the text has one and no double quote.
    static func pythonQuoted(_ text: String) -> String {
        let quote: Character = text.contains("'") && !text.contains("\"") ? "\"" : "'"
        var result = String(quote)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where Character(scalar) == quote: result += "\\" + String(quote)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                let hex = String(scalar.value, radix: 16)
                result += "\\x" + (hex.count < 2 ? "0" : "") + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        result.append(quote)
        return result
    }

    /// The number as a Double, for int, float and bool (a Python bool is an int).
    var numberValue: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    /// The integer for int and bool.
    var integerValue: Int? {
        switch self {
        case .int(let value): value
        case .bool(let value): value ? 1 : 0
        default: nil
        }
    }

    /// The elements of a list or tuple.
    var sequenceElements: [JinjaValue]? {
        switch self {
        case .array(let elements), .tuple(let elements): elements
        default: nil
        }
    }

    /// Python's `==`.
    func pythonEquals(_ other: JinjaValue) -> Bool {
        switch (self, other) {
        case (.undefined, .undefined), (.none, .none): return true
        case (.string(let left), .string(let right)): return left.unicodeScalars.elementsEqual(right.unicodeScalars)
        case (.array(let left), .array(let right)), (.tuple(let left), .tuple(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { $0.pythonEquals($1) }
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            return left.members.allSatisfy { member in right[member.key].map { member.value.pythonEquals($0) } ?? false
            }
        case (.namespace(let left), .namespace(let right)): return left.id == right.id
        default:
            if let left = integerValue, let right = other.integerValue { return left == right }
            if let left = numberValue, let right = other.numberValue { return left == right }
            return false
        }
    }

    /// Python's ordering (`<`), or `nil` when Python would raise a TypeError.
    func pythonLess(_ other: JinjaValue) -> Bool? {
        switch (self, other) {
        case (.string(let left), .string(let right)):
            return left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars) { $0.value < $1.value }
        case (.array(let left), .array(let right)), (.tuple(let left), .tuple(let right)):
            for (leftItem, rightItem) in zip(left, right) where !leftItem.pythonEquals(rightItem) {
                return leftItem.pythonLess(rightItem)
            }
            return left.count < right.count
        default:
            if let left = integerValue, let right = other.integerValue { return left < right }
            if let left = numberValue, let right = other.numberValue { return left < right }
            return nil
        }
    }

    /// The Python type name, for error messages.
    var typeName: String {
        switch self {
        case .undefined: "Undefined"
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .tuple: "tuple"
        case .object: "dict"
        case .namespace: "Namespace"
        case .loop: "LoopContext"
        case .callable: "function"
        }
    }
}

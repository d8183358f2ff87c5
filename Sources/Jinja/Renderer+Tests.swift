extension Renderer {
    mutating func applyTest(
        _ name: String, to value: JinjaValue, _ arguments: Arguments, line: Int
    ) throws(JinjaError) -> Bool {
        let values = try evaluateArguments(arguments)
        return try evaluatedTest(name, value, values.positional + values.keyword.map(\.value), line: line)
    }

    func evaluatedTest(_ name: String, _ value: JinjaValue, _ arguments: [JinjaValue], line: Int) throws(JinjaError)
        -> Bool
    {
        let other = arguments.first ?? .undefined
        switch name {
        case "defined": return !value.isUndefined
        case "undefined": return value.isUndefined
        case "none": return value.isNone
        case "boolean": if case .bool = value { return true } else { return false }
        case "true": if case .bool(true) = value { return true } else { return false }
        case "false": if case .bool(false) = value { return true } else { return false }
        case "string": if case .string = value { return true } else { return false }
        case "number":
            switch value {
            case .int, .double, .bool: return true
            default: return false
            }
        case "integer": if case .int = value { return true } else { return false }
        case "float": if case .double = value { return true } else { return false }
        case "mapping": if case .object = value { return true } else { return false }
        case "iterable":
            switch value {
            case .string, .array, .tuple, .object, .undefined: return true
            default: return false
            }
        case "sequence":
            switch value {
            case .string, .array, .tuple, .object: return true
            default: return false
            }
        case "callable": if case .callable = value { return true } else { return false }
        case "odd", "even":
            guard let number = value.integerValue else {
                throw JinjaError(.runtime, "'\(name)' needs an integer, not '\(value.typeName)'", line: line)
            }
            return (number % 2 != 0) == (name == "odd")
        case "divisibleby":
            guard let number = value.integerValue, let divisor = other.integerValue, divisor != 0 else {
                throw JinjaError(.runtime, "divisibleby needs two integers and a non-zero divisor", line: line)
            }
            return number % divisor == 0
        case "eq", "equalto", "==", "sameas": return value.pythonEquals(other)
        case "ne", "!=": return !value.pythonEquals(other)
        case "lt", "lessthan", "<": return try compare("<", value, other, line: line)
        case "le", "<=": return try compare("<=", value, other, line: line)
        case "gt", "greaterthan", ">": return try compare(">", value, other, line: line)
        case "ge", ">=": return try compare(">=", value, other, line: line)
        case "in": return try contains(other, value, line: line)
        case "lower", "upper":
            guard case .string(let text) = value else { return false }
            return PythonString.classify(text, name == "lower" ? "islower" : "isupper")
        case "escaped": return false
        case "filter": return Parser.filters.contains(try text(value, line: line))
        case "test": return Parser.tests.contains(try text(value, line: line))
        default: throw JinjaError(.unsupported, "the test '\(name)' is not supported", line: line)
        }
    }
}

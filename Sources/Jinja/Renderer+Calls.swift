#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Evaluated call arguments.
struct CallArguments {
    var positional: [JinjaValue]
    var keyword: [(name: String, value: JinjaValue)]

    func value(_ position: Int, _ name: String) -> JinjaValue? {
        if position < positional.count { return positional[position] }
        return keyword.first { $0.name == name }?.value
    }
}

extension Renderer {
    mutating func evaluateArguments(_ arguments: Arguments) throws(JinjaError) -> CallArguments {
        var result = CallArguments(positional: [], keyword: [])
        for expression in arguments.positional { result.positional.append(try evaluate(expression)) }
        for (name, expression) in arguments.keyword { result.keyword.append((name, try evaluate(expression))) }
        return result
    }

    mutating func call(_ callee: Expression, _ arguments: Arguments, line: Int) throws(JinjaError) -> JinjaValue {
        let function = try evaluate(callee)
        let values = try evaluateArguments(arguments)
        try meter.charge(line: line)
        switch function {
        case .callable(let callable):
            switch callable.kind {
            case .global(let name): return try callGlobal(name, values, line: line)
            case .macro(let definition): return try callMacro(definition, values, line: line)
            case .method(let receiver, let name): return try callMethod(name, on: receiver, values, line: line)
            }
        case .undefined:
            if case .name(let name, _) = callee { throw JinjaError(.runtime, "'\(name)' is undefined", line: line) }
            if case .attribute(_, let name, _) = callee {
                throw JinjaError(.runtime, "'\(name)' is undefined or not an allowed method", line: line)
            }
            throw JinjaError(.runtime, "an undefined value is not callable", line: line)
        default:
            throw JinjaError(.runtime, "'\(function.typeName)' object is not callable", line: line)
        }
    }

    mutating func callMacro(
        _ definition: MacroDefinition, _ arguments: CallArguments, line: Int
    ) throws(JinjaError) -> JinjaValue {
        guard callDepth < limits.maxCallDepth else {
            throw .exceeded(.recursion(calls: limits.maxCallDepth), line: line)
        }
        guard arguments.positional.count <= definition.parameters.count else {
            throw JinjaError(
                .runtime,
                "macro '\(definition.name)' takes not more than \(definition.parameters.count) argument(s)",
                line: line)
        }
        for keyword in arguments.keyword where !definition.parameters.contains(where: { $0.name == keyword.name }) {
            throw JinjaError(
                .runtime, "macro '\(definition.name)' takes no keyword argument '\(keyword.name)'", line: line)
        }
        let savedScopes = scopes
        scopes = [scopes[0], [:]]
        callDepth += 1
        defer {
            scopes = savedScopes
            callDepth -= 1
        }
        for (position, parameter) in definition.parameters.enumerated() {
            var value = arguments.value(position, parameter.name)
            if value == nil, let defaultValue = parameter.defaultValue { value = try evaluate(defaultValue) }
            scopes[1][parameter.name] = value ?? .undefined
        }
        return .string(try capture(definition.body))
    }

    mutating func callGlobal(_ name: String, _ arguments: CallArguments, line: Int) throws(JinjaError) -> JinjaValue {
        switch name {
        case "raise_exception":
            throw JinjaError(
                .raised,
                try arguments.value(0, "message").map { m throws(JinjaError) in try text(m, line: line) } ?? "",
                line: line)
        case "strftime_now":
            guard case .string(let format) = arguments.value(0, "format") else {
                throw JinjaError(.runtime, "strftime_now() needs a format string", line: line)
            }
            return .string(Self.strftimeNow(format))
        case "range":
            return try range(arguments, line: line)
        default:
            var object = JinjaObject()
            if let first = arguments.positional.first {
                guard case .object(let initial) = first else {
                    throw JinjaError(.runtime, "\(name)() takes a dict or keyword arguments", line: line)
                }
                object = initial
            }
            for keyword in arguments.keyword { object[keyword.name] = keyword.value }
            if name == "namespace" { return makeNamespace(object) }
            try checkDepth(of: object.members.map(\.value), line: line)
            return .object(object)
        }
    }

    mutating func makeNamespace(_ object: JinjaObject) -> JinjaValue {
        namespaces.append(object)
        return .namespace(JinjaNamespace(id: namespaces.count - 1))
    }

    func range(_ arguments: CallArguments, line: Int) throws(JinjaError) -> JinjaValue {
        let numbers = arguments.positional.compactMap(\.integerValue)
        guard numbers.count == arguments.positional.count, (1...3).contains(numbers.count) else {
            throw JinjaError(.runtime, "range() takes one to three integers", line: line)
        }
        let start = numbers.count == 1 ? 0 : numbers[0]
        let stop = numbers.count == 1 ? numbers[0] : numbers[1]
        let step = numbers.count == 3 ? numbers[2] : 1
        guard step != 0 else { throw JinjaError(.runtime, "range() arg 3 must not be zero", line: line) }
        let span = step > 0 ? Int128(stop) - Int128(start) : Int128(start) - Int128(stop)
        let stride128 = step > 0 ? Int128(step) : -Int128(step)
        let count128 = span <= 0 ? 0 : (span + stride128 - 1) / stride128
        guard count128 <= Int128(limits.maxRange) else {
            throw JinjaError(
                .budgetExceeded(.range(items: limits.maxRange)),
                "range too big, maximum size for range is \(limits.maxRange)", line: line)
        }
        try meter.chargeItems(Int(count128), line: line)
        return .array(stride(from: start, to: stop, by: step).map { .int($0) })
    }

    static func strftimeNow(_ format: String) -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var buffer = [CChar](repeating: 0, count: 512)
        let length = strftime(&buffer, buffer.count, format, &parts)
        return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

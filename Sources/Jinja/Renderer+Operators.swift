#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension Renderer {
    /// Python's arithmetic operators; undefined operands fail like jinja2's default Undefined.
    func binary(_ op: String, _ left: JinjaValue, _ right: JinjaValue, line: Int) throws(JinjaError) -> JinjaValue {
        if left.isUndefined || right.isUndefined {
            throw JinjaError(.runtime, "an undefined value was used with '\(op)'", line: line)
        }
        func unsupported() -> JinjaError {
            JinjaError(
                .runtime, "unsupported operand type(s) for \(op): '\(left.typeName)' and '\(right.typeName)'",
                line: line)
        }
        func overflow() -> JinjaError { JinjaError(.runtime, "integer overflow in '\(op)'", line: line) }
        switch (op, left, right) {
        case ("+", .string(let a), .string(let b)):
            try meter.checkString(a.utf8.count + b.utf8.count, line: line)
            return .string(a + b)
        case ("+", .array(let a), .array(let b)):
            try meter.checkList(a.count + b.count, line: line)
            try meter.chargeItems(a.count + b.count, line: line)
            return .array(a + b)
        case ("+", .tuple(let a), .tuple(let b)):
            try meter.checkList(a.count + b.count, line: line)
            try meter.chargeItems(a.count + b.count, line: line)
            return .tuple(a + b)
        case ("*", .string(let text), _), ("*", _, .string(let text)):
            guard let count = (left.integerValue ?? right.integerValue) else { throw unsupported() }
            try checkRepeat(text, count: count, line: line)
            try meter.chargeItems(RenderMeter.product(text.utf8.count, max(0, count)), line: line)
            return .string(count <= 0 ? "" : String(repeating: text, count: count))
        case ("*", .array(let items), _), ("*", _, .array(let items)):
            guard let count = (left.integerValue ?? right.integerValue) else { throw unsupported() }
            let total = RenderMeter.product(items.count, max(0, count))
            try meter.checkList(total, line: line)
            try meter.chargeItems(total, line: line)
            return .array(count <= 0 ? [] : Array([[JinjaValue]](repeating: items, count: count).joined()))
        default: break
        }
        if let a = left.integerValue, let b = right.integerValue {
            switch op {
            case "+", "-", "*":
                let (value, overflowed) =
                    op == "+"
                    ? a.addingReportingOverflow(b)
                    : op == "-" ? a.subtractingReportingOverflow(b) : a.multipliedReportingOverflow(by: b)
                guard !overflowed else { throw overflow() }
                return .int(value)
            case "/":
                guard b != 0 else { throw JinjaError(.runtime, "division by zero", line: line) }
                return .double(Double(a) / Double(b))
            case "//", "%":
                guard b != 0 else { throw JinjaError(.runtime, "integer division or modulo by zero", line: line) }
                guard !(a == Int.min && b == -1) else { throw overflow() }
                var quotient = a / b
                var remainder = a % b
                if remainder != 0, (remainder < 0) != (b < 0) {
                    quotient -= 1
                    remainder += b
                }
                return .int(op == "//" ? quotient : remainder)
            case "**":
                if b < 0 { return .double(Foundationless.power(Double(a), Double(b))) }
                var result = 1
                var exponent = b
                var base = a
                while exponent > 0 {
                    if exponent & 1 == 1 {
                        let (value, overflowed) = result.multipliedReportingOverflow(by: base)
                        guard !overflowed else { throw overflow() }
                        result = value
                    }
                    exponent >>= 1
                    if exponent > 0 {
                        let (value, overflowed) = base.multipliedReportingOverflow(by: base)
                        guard !overflowed else { throw overflow() }
                        base = value
                    }
                }
                return .int(result)
            default: throw unsupported()
            }
        }
        guard let a = left.numberValue, let b = right.numberValue else { throw unsupported() }
        switch op {
        case "+": return .double(a + b)
        case "-": return .double(a - b)
        case "*": return .double(a * b)
        case "/":
            guard b != 0 else { throw JinjaError(.runtime, "float division by zero", line: line) }
            return .double(a / b)
        case "//", "%":
            guard b != 0 else { throw JinjaError(.runtime, "float modulo", line: line) }
            var remainder = a.truncatingRemainder(dividingBy: b)
            if remainder != 0, (remainder < 0) != (b < 0) { remainder += b }
            return .double(op == "%" ? remainder : ((a - remainder) / b).rounded())
        case "**": return .double(Foundationless.power(a, b))
        default: throw unsupported()
        }
    }
}

/// Maths that would otherwise need Foundation.
enum Foundationless {
    static func power(_ base: Double, _ exponent: Double) -> Double {
        if exponent == exponent.rounded(), abs(exponent) < Double(1 << 20) {
            var result = 1.0
            var remaining = Int(abs(exponent))
            var factor = base
            while remaining > 0 {
                if remaining & 1 == 1 { result *= factor }
                factor *= factor
                remaining >>= 1
            }
            return exponent < 0 ? 1 / result : result
        }
        return exp(exponent * log(base))
    }
}

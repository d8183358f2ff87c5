import InferenceTypes
import OrderedJSON

extension JSONSchemaGrammar.Converter {
    /// One end of a numeric range.
    struct Bound {
        var value: Int
        var exclusive: Bool
    }

    /// The largest magnitude the grammar writes: 16 digits before the point.
    static let largestWhole = 9_999_999_999_999_999

    /// An integer, within `minimum`/`maximum` and their exclusive forms when the schema has them.
    mutating func integerBody(_ schema: JSONValue, at path: String) throws(InferenceError) -> String {
        let (lower, upper) = try bounds(of: schema, integral: true, at: path)
        guard lower != nil || upper != nil else { return primitive(.integer) }
        // On integers an exclusive bound is the next whole number, inclusive.
        let low = lower.map { $0.exclusive ? $0.value + 1 : $0.value }
        let high = upper.map { $0.exclusive ? $0.value - 1 : $0.value }
        if let low, let high, low > high {
            throw .invalidRequest("the integer bounds at \(path) leave no value: no value can match")
        }
        var alternatives: [String] = []
        if high.map({ $0 >= 0 }) ?? true {
            alternatives += Self.decimalRange(from: max(low ?? 0, 0), to: high)
        }
        if low.map({ $0 < 0 }) ?? true {
            let magnitudes = Self.decimalRange(from: max(high.map { -$0 } ?? 1, 1), to: low.map { -$0 })
            alternatives.append(#""-" "# + JSONSchemaGrammar.group(magnitudes))
        }
        return alternatives.joined(separator: " | ")
    }

    /// A number, within whole-number bounds when the schema has them (then written without an exponent).
    mutating func numberBody(_ schema: JSONValue, at path: String) throws(InferenceError) -> String {
        let (lower, upper) = try bounds(of: schema, integral: false, at: path)
        guard lower != nil || upper != nil else { return primitive(.number) }
        var alternatives: [String] = []
        // Zero and up, as its magnitude.
        if upper.map({ $0.value > 0 || ($0.value == 0 && !$0.exclusive) }) ?? true {
            let from = lower.flatMap { $0.value >= 0 ? $0 : nil } ?? Bound(value: 0, exclusive: false)
            alternatives += Self.magnitudes(from: from, to: upper)
        }
        // Below zero: a minus sign and a magnitude between the mirrored bounds.
        if lower.map({ $0.value < 0 }) ?? true {
            let from =
                upper.flatMap { $0.value < 0 ? Bound(value: -$0.value, exclusive: $0.exclusive) : nil }
                ?? Bound(value: 0, exclusive: true)
            let parts = Self.magnitudes(from: from, to: lower.map { Bound(value: -$0.value, exclusive: $0.exclusive) })
            if !parts.isEmpty { alternatives.append(#""-" "# + JSONSchemaGrammar.group(parts)) }
        }
        guard !alternatives.isEmpty else {
            throw .invalidRequest("the number bounds at \(path) leave no value: no value can match")
        }
        return alternatives.joined(separator: " | ")
    }

    /// The lower and upper bounds of a schema; draft-04's boolean `exclusiveMinimum`/`exclusiveMaximum` included.
    private func bounds(of schema: JSONValue, integral: Bool, at path: String) throws(InferenceError)
        -> (lower: Bound?, upper: Bound?)
    {
        func bound(_ keyword: String, exclusive: Bool, roundingUp: Bool) throws(InferenceError) -> Bound? {
            guard let value = schema[keyword], value.numberValue != nil || value.stringValue != nil else { return nil }
            guard let number = value.numberValue, number.isFinite else {
                throw .invalidRequest("'\(keyword)' at \(path) must be a number")
            }
            var whole = roundingUp ? number.rounded(.up) : number.rounded(.down)
            var isExclusive = exclusive
            if whole != number {
                guard integral else {
                    throw .invalidRequest(
                        "'\(keyword)' at \(path) is \(number); on a number only whole-number bounds are supported")
                }
                // A fractional bound on an integer is the nearest whole number inside it, inclusive.
                isExclusive = false
            }
            guard abs(whole) <= Double(Self.largestWhole) else {
                throw .invalidRequest("'\(keyword)' at \(path) is larger than structured output can write")
            }
            whole = whole == 0 ? 0 : whole
            return Bound(value: Int(whole), exclusive: isExclusive)
        }
        let legacyMinimum = schema["exclusiveMinimum"] == .bool(true)
        let legacyMaximum = schema["exclusiveMaximum"] == .bool(true)
        let lower = [
            try bound("minimum", exclusive: legacyMinimum, roundingUp: true),
            try bound("exclusiveMinimum", exclusive: true, roundingUp: true),
        ].compactMap { $0 }.max { ($0.value, $0.exclusive ? 1 : 0) < ($1.value, $1.exclusive ? 1 : 0) }
        let upper = [
            try bound("maximum", exclusive: legacyMaximum, roundingUp: false),
            try bound("exclusiveMaximum", exclusive: true, roundingUp: false),
        ].compactMap { $0 }.min { ($0.value, $0.exclusive ? 0 : 1) < ($1.value, $1.exclusive ? 0 : 1) }
        return (lower, upper)
    }

    /// Non-negative numbers between two whole-number bounds, as alternatives: whole parts strictly inside with
    /// any fraction, the lower bound with a non-zero fraction when it is exclusive, the upper bound with a zero
    /// fraction when it is inclusive.
    private static func magnitudes(from lower: Bound, to upper: Bound?) -> [String] {
        let fraction = #"("." [0-9]{1,16})?"#
        var parts: [String] = []
        let firstWhole = lower.exclusive ? lower.value + 1 : lower.value
        let lastWhole = upper.map { $0.value - 1 }
        if lastWhole.map({ firstWhole <= $0 }) ?? true {
            parts.append(JSONSchemaGrammar.group(decimalRange(from: firstWhole, to: lastWhole)) + " " + fraction)
        }
        if lower.exclusive, upper.map({ lower.value < $0.value }) ?? true {
            parts.append(#""\#(lower.value)" "." "0"{0,15} [1-9] [0-9]{0,15}"#)
        }
        if let upper, !upper.exclusive, upper.value > lower.value || (upper.value == lower.value && !lower.exclusive) {
            parts.append(#""\#(upper.value)" ("." "0"{1,16})?"#)
        }
        return parts
    }

    /// The decimal spellings (no leading zeros) of the whole numbers from `low` to `high` (`nil`: as many
    /// digits as the grammar writes), as alternatives.
    static func decimalRange(from low: Int, to high: Int?) -> [String] {
        let lowLength = String(low).count
        let longest = String(largestWhole).count
        guard let high else {
            // Every longer number is in: one alternative for all of them.
            var alternatives = decimalRange(from: low, to: Int(String(repeating: "9", count: lowLength)) ?? low)
            if lowLength < longest {
                alternatives.append(
                    "[1-9] " + JSONSchemaGrammar.repeated("[0-9]", minimum: lowLength, maximum: longest - 1))
            }
            return alternatives
        }
        let highLength = String(high).count
        guard lowLength <= highLength else { return [] }
        var alternatives: [String] = []
        var power = 1
        for _ in 1..<lowLength { power *= 10 }
        for length in lowLength...highLength {
            let start = length == lowLength ? low : power
            let end = length == highLength ? high : power * 10 - 1
            if start <= end { alternatives += sameLength(Array(String(start)), Array(String(end))) }
            if length < highLength { power *= 10 }
        }
        return alternatives
    }

    /// The digit strings of one length from `low` to `high`, as alternatives.
    private static func sameLength(_ low: [Character], _ high: [Character]) -> [String] {
        guard let lowFirst = low.first, let highFirst = high.first else { return [] }
        func digits(_ from: Character, _ to: Character) -> String { from == to ? "\"\(from)\"" : "[\(from)-\(to)]" }
        if low.count == 1 { return [digits(lowFirst, highFirst)] }
        let lowRest = Array(low.dropFirst())
        let highRest = Array(high.dropFirst())
        if lowFirst == highFirst {
            return ["\"\(lowFirst)\" " + JSONSchemaGrammar.group(sameLength(lowRest, highRest))]
        }
        let free = JSONSchemaGrammar.repeated("[0-9]", minimum: low.count - 1, maximum: low.count - 1)
        var alternatives: [String] = []
        var first = lowFirst
        var last = highFirst
        if !lowRest.allSatisfy({ $0 == "0" }) {
            let nines = [Character](repeating: "9", count: lowRest.count)
            alternatives.append("\"\(lowFirst)\" " + JSONSchemaGrammar.group(sameLength(lowRest, nines)))
            first = Self.nextDigit(first, by: 1)
        }
        var tail: String?
        if !highRest.allSatisfy({ $0 == "9" }) {
            let zeros = [Character](repeating: "0", count: highRest.count)
            tail = "\"\(highFirst)\" " + JSONSchemaGrammar.group(sameLength(zeros, highRest))
            last = Self.nextDigit(last, by: -1)
        }
        if first <= last { alternatives.append("\(digits(first, last)) \(free)") }
        if let tail { alternatives.append(tail) }
        return alternatives
    }

    private static func nextDigit(_ digit: Character, by step: Int) -> Character {
        Character(Unicode.Scalar(UInt8(Int(digit.asciiValue ?? 48) + step)))
    }
}

import InferenceTypes

extension JSONSchemaGrammar {
    /// A set of Unicode scalar values, as sorted, disjoint ranges: what a regular-expression character class
    /// or `.` matches.
    struct ScalarSet {
        private(set) var ranges: [ClosedRange<UInt32>] = []

        static let everything = ScalarSet(ranges: [0...0x10FFFF])

        init(ranges: [ClosedRange<UInt32>] = []) {
            for range in ranges { insert(range) }
        }

        /// Adds the scalars of `range`.
        mutating func insert(_ range: ClosedRange<UInt32>) {
            var merged = range
            var kept: [ClosedRange<UInt32>] = []
            for existing in ranges {
                if existing.upperBound + 1 < merged.lowerBound || merged.upperBound + 1 < existing.lowerBound {
                    kept.append(existing)
                } else {
                    merged = min(existing.lowerBound, merged.lowerBound)...max(existing.upperBound, merged.upperBound)
                }
            }
            kept.append(merged)
            ranges = kept.sorted { $0.lowerBound < $1.lowerBound }
        }

        /// Adds every scalar of `other`.
        mutating func formUnion(_ other: ScalarSet) {
            for range in other.ranges { insert(range) }
        }

        /// The scalars not in this set.
        var complement: ScalarSet {
            var result: [ClosedRange<UInt32>] = []
            var next: UInt32 = 0
            for range in ranges {
                if range.lowerBound > next { result.append(next...(range.lowerBound - 1)) }
                next = range.upperBound + 1
            }
            if next <= 0x10FFFF { result.append(next...0x10FFFF) }
            return ScalarSet(ranges: result)
        }

        /// The scalars in both sets.
        func intersection(_ other: ScalarSet) -> ScalarSet {
            var result: [ClosedRange<UInt32>] = []
            for first in ranges {
                for second in other.ranges {
                    let low = max(first.lowerBound, second.lowerBound)
                    let high = min(first.upperBound, second.upperBound)
                    if low <= high { result.append(low...high) }
                }
            }
            return ScalarSet(ranges: result)
        }

        func contains(_ value: UInt32) -> Bool {
            ranges.contains { $0.contains(value) }
        }

        var isEmpty: Bool { ranges.isEmpty }

        /// The scalars a JSON string may hold without an escape: not a control character, quote, backslash or
        /// lone surrogate.
        static let unescaped = ScalarSet(ranges: [0x20...0x21, 0x23...0x5B, 0x5D...0xD7FF, 0xE000...0x10FFFF])

        /// The JSON string text of this set's scalars, as a GBNF expression: a character class for those that
        /// need no escape, escape sequences for the quote, the backslash and the usual control characters.
        /// Other control characters are left out, which keeps the output within the set.
        var jsonText: String? {
            var alternatives: [String] = []
            let plain = intersection(Self.unescaped)
            if !plain.isEmpty {
                // A set that reaches the end of Unicode is shorter written as what it leaves out.
                if plain.contains(0x10FFFF) {
                    let excluded = plain.complement.ranges.map(Self.classRange).joined()
                    alternatives.append("[^\(excluded)]")
                } else {
                    alternatives.append("[\(plain.ranges.map(Self.classRange).joined())]")
                }
            }
            let escapes: [(UInt32, String)] = [
                (0x22, #"\""#), (0x5C, #"\\"#), (0x0A, #"\n"#), (0x09, #"\t"#), (0x0D, #"\r"#), (0x08, #"\b"#),
                (0x0C, #"\f"#),
            ]
            for (value, text) in escapes where contains(value) {
                alternatives.append(JSONSchemaGrammar.literal(text))
            }
            guard !alternatives.isEmpty else { return nil }
            return alternatives.count == 1 ? alternatives[0] : "(\(alternatives.joined(separator: " | ")))"
        }

        private static func classRange(_ range: ClosedRange<UInt32>) -> String {
            if range.lowerBound == range.upperBound { return JSONSchemaGrammar.classCharacter(range.lowerBound) }
            return JSONSchemaGrammar.classCharacter(range.lowerBound) + "-"
                + JSONSchemaGrammar.classCharacter(range.upperBound)
        }
    }
}

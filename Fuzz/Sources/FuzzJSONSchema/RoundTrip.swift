import OrderedJSON

/// The parser's and the serializer's contract with each other: what was parsed, written in any layout, parses
/// back to the same value.
enum RoundTrip {
    /// Traps (a libFuzzer crash, with the input saved) when `value` does not survive a round trip.
    ///
    /// Values holding an infinite double are skipped: JSON has no text for them (`1e999` parses as infinity,
    /// which is written `Infinity`, as Python does).
    static func check(_ value: JSONValue) {
        guard isFinite(value) else { return }
        for layout in [JSONLayout.compact, .python, .pythonIndented(2)] {
            let text = value.serialized(layout)
            guard let again = try? JSONValue(parsing: text) else {
                preconditionFailure("the serialization does not parse: \(text.prefix(200))")
            }
            precondition(again == value, "the round trip changed the value: \(text.prefix(200))")
        }
    }

    private static func isFinite(_ value: JSONValue) -> Bool {
        switch value {
        case .double(let number): number.isFinite
        case .array(let elements): elements.allSatisfy(isFinite)
        case .object(let members): members.allSatisfy { isFinite($0.value) }
        case .null, .bool, .int, .string: true
        }
    }
}

import InferenceTypes

/// Collects bytes that arrive in pieces (a token can end in the middle of a character) and hands out
/// only whole UTF-8 characters.
public struct UTF8Accumulator: Sendable {
    private var pending: [UInt8] = []

    /// Creates an empty accumulator.
    public init() {}

    /// Adds bytes and returns the text made of every complete character so far. Bytes that can never
    /// become valid UTF-8 are replaced with U+FFFD rather than held back forever.
    public mutating func append(_ bytes: some Sequence<UInt8>) -> String {
        pending.append(contentsOf: bytes)
        let complete = completePrefixLength()
        guard complete > 0 else { return "" }
        let text = String(decoding: pending[..<complete], as: UTF8.self)
        pending.removeFirst(complete)
        return text
    }

    /// Returns whatever is still held back (an incomplete character at the very end), made valid.
    public mutating func flush() -> String {
        defer { pending.removeAll() }
        return pending.isEmpty ? "" : String(decoding: pending, as: UTF8.self)
    }

    /// The length of the longest prefix that does not end inside a character that may still complete.
    private func completePrefixLength() -> Int {
        let count = pending.count
        // A character is at most 4 bytes: look back at most 3 bytes for the start of an unfinished one.
        var index = count - 1
        let lowest = max(0, count - 4)
        while index >= lowest {
            let byte = pending[index]
            if byte & 0b1100_0000 != 0b1000_0000 {
                let needed: Int
                switch byte {
                case 0..<0x80: needed = 1
                case 0xC0..<0xE0: needed = 2
                case 0xE0..<0xF0: needed = 3
                case 0xF0..<0xF8: needed = 4
                default: needed = 1
                }
                return count - index >= needed ? count : index
            }
            index -= 1
        }
        return count
    }
}

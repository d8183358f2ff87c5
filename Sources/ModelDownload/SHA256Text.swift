/// SHA-256 digests as text: 64 lower-case hexadecimal digits.
enum SHA256Text {
    /// `text` as a digest when it is 64 hexadecimal digits, lower-cased; quotes and a weak-validator `W/`
    /// prefix around it (as in an `ETag` header) are removed first. `nil` for anything else.
    static func normalized(_ text: String) -> String? {
        var value = Substring(text)
        if value.hasPrefix("W/") { value = value.dropFirst(2) }
        value = value.drop { $0 == "\"" }
        while value.last == "\"" { value = value.dropLast() }
        guard value.utf8.count == 64, value.allSatisfy(\.isHexDigit) else { return nil }
        return value.lowercased()
    }

    /// The lower-case hexadecimal text of digest bytes.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

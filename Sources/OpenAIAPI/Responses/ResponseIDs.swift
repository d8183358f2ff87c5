/// Ids of responses and their items, as OpenAI shapes them: a kind prefix (`resp`, `msg`, `rs`, `fc`), an
/// underscore and 48 random hex digits.
enum ResponseIDs {
    /// A new id of the kind `prefix`.
    static func make(_ prefix: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let digits = (0..<3).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }
        return "\(prefix)_\(digits.joined())"
    }
}

import Crypto

/// The API keys the server accepts, kept as SHA-256 digests and compared in constant time.
///
/// A presented key is hashed and its digest compared with every stored digest, byte by byte and without
/// stopping at the first difference or the first match, so the time taken says nothing about how much of a
/// key was right, nor which key matched.
struct APIKeySet: Sendable {
    private let digests: [[UInt8]]

    /// A set holding `keys`.
    init(_ keys: [String]) {
        digests = keys.map { Array(SHA256.hash(data: Array($0.utf8))) }
    }

    /// Whether no key is configured, so that requests need none.
    var isEmpty: Bool { digests.isEmpty }

    /// Whether `key` is one of the keys.
    func contains(_ key: some StringProtocol) -> Bool {
        let presented = Array(SHA256.hash(data: Array(key.utf8)))
        var matches: UInt8 = 0
        for digest in digests {
            var difference: UInt8 = 0
            for index in 0..<presented.count {
                difference |= digest[index] ^ presented[index]
            }
            // All ones when every byte agreed, zero otherwise, without a branch on the secret.
            matches |= UInt8(truncatingIfNeeded: (UInt16(difference) &- 1) >> 8)
        }
        return matches != 0
    }
}

/// A block of IP addresses in CIDR notation (`10.0.0.0/8`, `fd00::/8`); a single address is a block of one.
public struct IPRange: Sendable, Hashable, CustomStringConvertible {
    /// The block's first address (its bits past the prefix are zero).
    public let base: IPAddress
    /// How many leading bits every address of the block shares with `base`.
    public let prefixLength: Int

    /// Parses `address/prefix` or a single address; `nil` when it is neither or the prefix is out of range.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(parts[0])) else { return nil }
        let width = address.bytes.count * 8
        var length = width
        if parts.count == 2 {
            guard let value = Int(parts[1]), (0...width).contains(value), parts[1].allSatisfy(\.isNumber) else {
                return nil
            }
            length = value
        }
        // An IPv4-mapped block is matched like the IPv4 block it stands for.
        if address.unmapped.isIPv4, !address.isIPv4 {
            guard length >= 96 else { return nil }
            self.init(masking: address.unmapped, to: length - 96)
        } else {
            self.init(masking: address, to: length)
        }
    }

    private init(masking address: IPAddress, to length: Int) {
        var bytes = address.bytes
        for index in bytes.indices {
            let bitsKept = min(max(length - index * 8, 0), 8)
            bytes[index] &= bitsKept == 0 ? 0 : ~UInt8(0) << (8 - bitsKept)
        }
        // `bytes` has the count of a valid address, so this always succeeds.
        base = IPAddress(bytes: bytes) ?? address
        prefixLength = length
    }

    /// Whether `address` (or the IPv4 address an IPv4-mapped one stands for) is in the block.
    public func contains(_ address: IPAddress) -> Bool {
        let candidate = address.unmapped
        guard candidate.bytes.count == base.bytes.count else { return false }
        for index in candidate.bytes.indices {
            let bitsKept = min(max(prefixLength - index * 8, 0), 8)
            guard bitsKept > 0 else { return true }
            let mask = ~UInt8(0) << (8 - bitsKept)
            if candidate.bytes[index] & mask != base.bytes[index] { return false }
        }
        return true
    }

    /// `address/prefix`.
    public var description: String { "\(base)/\(prefixLength)" }
}

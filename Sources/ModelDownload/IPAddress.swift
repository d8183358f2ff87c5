import Glibc

/// An IPv4 or IPv6 address as its network-order bytes (4 or 16), with the address classes a pull refuses.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// The address's bytes in network order: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// The address in `bytes` (4 or 16 of them); `nil` for any other count.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// Parses the textual form of an IPv4 (dotted quad) or IPv6 address, with or without brackets.
    public init?(_ text: String) {
        var text = Substring(text)
        if text.hasPrefix("["), text.hasSuffix("]") { text = text.dropFirst().dropLast() }
        if let bytes = Self.parse(String(text), family: AF_INET, count: 4) {
            self.bytes = bytes
        } else if let bytes = Self.parse(String(text), family: AF_INET6, count: 16) {
            self.bytes = bytes
        } else {
            return nil
        }
    }

    /// Whether it is an IPv4 address.
    public var isIPv4: Bool { bytes.count == 4 }

    /// The IPv4 address an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) stands for; the address itself otherwise.
    public var unmapped: IPAddress {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF else {
            return self
        }
        return IPAddress(checkedBytes: Array(bytes[12...]))
    }

    /// The class of address a pull refuses unless it is allowed explicitly (loopback, private, link-local,
    /// carrier-grade NAT, unspecified, multicast, broadcast or unique local), or `nil` for a public one.
    public var restrictedKind: String? {
        let address = unmapped
        return address.isIPv4 ? Self.restrictedIPv4Kind(address.bytes) : Self.restrictedIPv6Kind(address.bytes)
    }

    /// The address in its usual textual form.
    public var description: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv4 ? AF_INET : AF_INET6
        let text = bytes.withUnsafeBytes { source in
            inet_ntop(family, source.baseAddress, &buffer, socklen_t(buffer.count))
        }
        guard text != nil else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private init(checkedBytes: [UInt8]) {
        bytes = checkedBytes
    }

    private static func parse(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let result = bytes.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) }
        return result == 1 ? bytes : nil
    }

    private static func restrictedIPv4Kind(_ b: [UInt8]) -> String? {
        switch (b[0], b[1]) {
        case (0, _): "unspecified"
        case (127, _): "loopback"
        case (10, _), (172, 16...31), (192, 168): "private"
        case (169, 254): "link-local"
        case (100, 64...127): "carrier-grade NAT"
        case (224...239, _): "multicast"
        case (240...255, _): b.allSatisfy { $0 == 255 } ? "broadcast" : "reserved"
        default: nil
        }
    }

    private static func restrictedIPv6Kind(_ b: [UInt8]) -> String? {
        if b[0..<15].allSatisfy({ $0 == 0 }) { return b[15] == 1 ? "loopback" : (b[15] == 0 ? "unspecified" : nil) }
        if b[0] == 0xFF { return "multicast" }
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return "link-local" }
        if b[0] & 0xFE == 0xFC { return "unique local (private)" }
        return nil
    }
}

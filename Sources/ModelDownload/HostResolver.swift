import Glibc

/// Finds the addresses a host name stands for, so that a pull can refuse a name that leads to this machine or
/// its network before it connects.
public protocol HostResolver: Sendable {
    /// The addresses of `host` (a name or an address literal, without brackets); empty when it has none.
    /// Throws `ModelDownloadError.network` when the name cannot be resolved.
    func addresses(of host: String) async throws -> [IPAddress]
}

/// The system's resolver (getaddrinfo(3)), called on NIO's thread pool so that a slow DNS answer never blocks
/// Swift's cooperative threads. It understands every spelling the connection itself would (`127.1`,
/// `2130706433`, `[::1]`, `localhost`, `/etc/hosts` entries), so none of them slips past the check.
public struct SystemHostResolver: HostResolver {
    /// Creates the resolver.
    public init() {}

    public func addresses(of host: String) async throws -> [IPAddress] {
        try await BlockingIO.run { () throws(ModelDownloadError) -> [IPAddress] in try Self.resolve(host) }
    }

    private static func resolve(_ host: String) throws(ModelDownloadError) -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0 else {
            throw .network(url: host, reason: "cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var addresses: [IPAddress] = []
        var entry = list
        while let current = entry?.pointee {
            if let address = Self.address(of: current), !addresses.contains(address) { addresses.append(address) }
            entry = current.ai_next
        }
        return addresses
    }

    /// The address of one getaddrinfo entry; the pointer is valid until `freeaddrinfo`.
    private static func address(of entry: addrinfo) -> IPAddress? {
        guard let socketAddress = entry.ai_addr else { return nil }
        switch entry.ai_family {
        case AF_INET:
            return socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin_addr) { IPAddress(bytes: Array($0)) }
            }
        case AF_INET6:
            return socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                withUnsafeBytes(of: pointer.pointee.sin6_addr) { IPAddress(bytes: Array($0)) }
            }
        default:
            return nil
        }
    }
}

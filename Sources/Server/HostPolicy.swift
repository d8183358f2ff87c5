import NIOCore

/// The `Host` names the server answers to, which defeats DNS rebinding: a page on `evil.example` whose name
/// the attacker re-points at this machine still sends `Host: evil.example`, and is refused.
///
/// Answered: `localhost`, single-label names and names under suffixes public DNS never serves (`.localhost`,
/// `.local`, `.internal`, `.lan`, `.home.arpa`, `.localdomain`), loopback addresses, the address the server listens on (any IP
/// address when it listens on all of them: reaching an address by number needs no DNS, so it cannot be
/// rebound), the name it listens on, the machine's host name and `<hostname>.local` (its mDNS name, the usual
/// way to reach a board on a LAN; only the LAN's own mDNS can answer for `.local`, so a remote attacker
/// cannot use it), and the configured names (`llm.example`, `*.example`); `*` answers any. A request without
/// `Host` (HTTP/1.0) passes: browsers always send one. Ports are ignored.
struct HostPolicy: Sendable {
    private let allowsAnyHost: Bool
    private let allowsAnyAddress: Bool
    private let names: Set<String>
    private let suffixes: [String]
    private let addresses: Set<String>

    /// A policy for a server listening on `listenHost`, on a machine called `hostname`, answering `allowed`
    /// besides.
    init(listenHost: String, hostname: String?, allowed: [String]) {
        var names: Set<String> = ["localhost"]
        var suffixes = Self.privateSuffixes
        var addresses: Set<String> = []
        var allowsAnyHost = false
        var allowsAnyAddress = false
        if let hostname = hostname.map(Self.normalized), !hostname.isEmpty {
            names.insert(hostname)
            names.insert("\(hostname.split(separator: ".").first ?? "").local")
        }
        let listen = Self.normalized(Self.strippingPort(listenHost))
        if listen.isEmpty || listen == "0.0.0.0" || listen == "::" {
            allowsAnyAddress = true
        } else if let address = Self.address(listen) {
            addresses.insert(address)
        } else {
            names.insert(listen)
        }
        for entry in allowed.map({ Self.normalized(Self.strippingPort($0)) }) {
            if entry == "*" {
                allowsAnyHost = true
            } else if entry.hasPrefix("*.") {
                suffixes.append(String(entry.dropFirst()))
            } else if let address = Self.address(entry) {
                addresses.insert(address)
            } else if !entry.isEmpty {
                names.insert(entry)
            }
        }
        self.names = names
        self.suffixes = suffixes
        self.addresses = addresses
        self.allowsAnyHost = allowsAnyHost
        self.allowsAnyAddress = allowsAnyAddress
    }

    /// Suffixes that public DNS never answers for (special-use and private-use names: mDNS, Docker's
    /// `host.docker.internal`, home routers' `.lan` and `.home.arpa`), so a remote page cannot rebind them.
    static let privateSuffixes = [".localhost", ".local", ".internal", ".lan", ".home.arpa", ".localdomain"]

    /// Whether the server answers a request whose `Host` is `host` (with or without a port).
    func allows(_ host: String) -> Bool {
        if allowsAnyHost { return true }
        let name = Self.normalized(Self.strippingPort(host))
        if names.contains(name) || suffixes.contains(where: { name.hasSuffix($0) }) { return true }
        // A single-label name (`rock5b`) resolves only through the local network's own search domains.
        if !name.isEmpty, !name.contains("."), !name.contains(":"), Self.address(name) == nil { return true }
        guard let address = Self.address(name) else { return false }
        return allowsAnyAddress || Self.isLoopback(address) || addresses.contains(address)
    }

    /// `host` without a `:port`; `[::1]:8080` becomes `::1`.
    static func strippingPort(_ host: String) -> Substring {
        if host.hasPrefix("["), let end = host.firstIndex(of: "]") {
            return host[host.index(after: host.startIndex)..<end]
        }
        let colons = host.count { $0 == ":" }
        if colons == 1, let colon = host.firstIndex(of: ":") { return host[..<colon] }
        return Substring(host)
    }

    /// Lower case, without a trailing dot (`LocalHost.` is `localhost`).
    private static func normalized(_ name: some StringProtocol) -> String {
        let lowered = name.lowercased()
        return lowered.hasSuffix(".") ? String(lowered.dropLast()) : lowered
    }

    /// The canonical text of an IP address literal, `nil` for a name.
    private static func address(_ text: String) -> String? {
        guard let first = text.first, first.isHexDigit || first == ":" else { return nil }
        return (try? SocketAddress(ipAddress: text, port: 0))?.ipAddress
    }

    private static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}

/// One entry of `--allow-pull-from`: a host name, every host under a domain, or a block of IP addresses.
public enum PullSourceRule: Sendable, Hashable, CustomStringConvertible {
    /// Exactly this host name (lower case, no trailing dot).
    case host(String)
    /// Any host whose name ends in `.<domain>`, written `*.<domain>` or `.<domain>`; not the domain itself.
    case domain(String)
    /// Any address in this block, written `10.0.0.0/8`, `fd00::/8` or as one address.
    case addresses(IPRange)

    /// Parses an entry; throws `ModelDownloadError.invalidPullSource` for anything else (a URL, a port, a
    /// malformed range).
    public init(parsing entry: String) throws(ModelDownloadError) {
        var text = Substring(entry.lowercased()).drop { $0.isWhitespace }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        if let range = IPRange(String(text)) {
            self = .addresses(range)
            return
        }
        guard !text.contains("/"), !text.contains(":") else {
            throw .invalidPullSource(
                entry, reason: "expected a host name (example.com, *.example.com), an address or a CIDR range")
        }
        while text.hasSuffix(".") { text = text.dropLast() }
        var isDomain = false
        if text.hasPrefix("*.") {
            text = text.dropFirst(2)
            isDomain = true
        } else if text.hasPrefix(".") {
            text = text.dropFirst()
            isDomain = true
        }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty,
            labels.allSatisfy({ label in
                !label.isEmpty
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            })
        else {
            throw .invalidPullSource(
                entry, reason: "expected a host name (example.com, *.example.com), an address or a CIDR range")
        }
        self = isDomain ? .domain(String(text)) : .host(String(text))
    }

    /// Whether the rule names `host` (lower case, without brackets): the same name, or a name under the domain.
    func matches(name host: String) -> Bool {
        switch self {
        case .host(let name): host == name
        case .domain(let domain): host.hasSuffix("." + domain)
        case .addresses: false
        }
    }

    /// Whether the rule's block holds `address`.
    func matches(address: IPAddress) -> Bool {
        guard case .addresses(let range) = self else { return false }
        return range.contains(address)
    }

    /// The entry as it would be written.
    public var description: String {
        switch self {
        case .host(let name): name
        case .domain(let domain): "*." + domain
        case .addresses(let range):
            range.prefixLength == range.base.bytes.count * 8 ? range.base.description : range.description
        }
    }
}

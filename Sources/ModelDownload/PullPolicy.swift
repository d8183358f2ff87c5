/// What a pull may do to the machine it runs on: which hosts it may download from, how large a file may be,
/// and how much disk space it must leave.
///
/// Hosts. A pull may fetch from the host its reference names, from Hugging Face (`huggingface.co`, `hf.co` and
/// every host under them, where its downloads redirect: `cdn-lfs*.hf.co`, `cas-bridge.xethub.hf.co`, ...) and
/// from what `allowed` lists; a redirect anywhere else is refused. Whatever the name, a host that is or resolves
/// to a loopback, private (RFC 1918, fc00::/7), link-local, carrier-grade NAT, unspecified, multicast or
/// reserved address is refused unless `allowed` names it or lists its address, so that a pull cannot be turned
/// against the board itself or the network behind it. Each URL (the first and every redirect, one hop at a
/// time) is checked before it is requested.
///
/// Limits of the host check: the name is resolved once for the check and again by the connection, so a DNS
/// server that answers differently the second time (DNS rebinding) can still lead the connection elsewhere; a
/// proxy configured for the process is not checked; addresses embedded in IPv6 translation prefixes
/// (64:ff9b::/96, 2002::/16) are taken as public.
public struct PullPolicy: Sendable {
    /// The default largest file: 64 GiB, twice the memory of the largest RK3588 boards (32 GB), so no model a
    /// board can run is refused, while a server announcing petabytes or streaming without end is.
    public static let defaultMaxBytes: Int64 = 64 << 30
    /// The hosts a pull may always reach by name: Hugging Face and the hosts its downloads redirect to.
    public static let huggingFaceRules: [PullSourceRule] = [
        .host("huggingface.co"), .host("hf.co"), .domain("huggingface.co"), .domain("hf.co"),
    ]

    /// The hosts and address blocks allowed besides the defaults; only these may be restricted addresses.
    public var allowed: [PullSourceRule]
    /// The largest file a pull keeps, in bytes.
    public var maxBytes: Int64
    /// The free space a pull leaves on the models directory's file system, in bytes.
    public var diskMarginBytes: Int64
    /// The bytes written between two checks of the free space during a download.
    public var diskCheckIntervalBytes: Int64
    /// The most redirects one request follows.
    public var maxRedirects: Int
    /// Where the free space is read from.
    public var freeSpace: any FreeSpaceSource
    /// Where host names are resolved for the address check.
    public var resolver: any HostResolver

    /// A policy allowing `allowed` besides the defaults.
    public init(
        allowed: [PullSourceRule] = [], maxBytes: Int64 = Self.defaultMaxBytes, diskMarginBytes: Int64 = 256 << 20,
        diskCheckIntervalBytes: Int64 = 256 << 20, maxRedirects: Int = 10,
        freeSpace: any FreeSpaceSource = FileSystemFreeSpace(), resolver: any HostResolver = SystemHostResolver()
    ) {
        self.allowed = allowed
        self.maxBytes = maxBytes
        self.diskMarginBytes = diskMarginBytes
        self.diskCheckIntervalBytes = diskCheckIntervalBytes
        self.maxRedirects = maxRedirects
        self.freeSpace = freeSpace
        self.resolver = resolver
    }

    /// A policy allowing the `--allow-pull-from` entries (host names, `*.domain`, addresses, CIDR ranges);
    /// throws `ModelDownloadError.invalidPullSource` for an entry that is none of them.
    public init(allowing entries: [String], maxBytes: Int64 = Self.defaultMaxBytes) throws(ModelDownloadError) {
        var rules: [PullSourceRule] = []
        for entry in entries where !entry.allSatisfy(\.isWhitespace) {
            rules.append(try PullSourceRule(parsing: entry))
        }
        self.init(allowed: rules, maxBytes: maxBytes)
    }
}

/// The browser origins allowed to call the server, as Ollama allows them: pages on this machine
/// (`http(s)://localhost`, `127.0.0.1`, `[::1]` and `0.0.0.0`, on any port), desktop and editor shells
/// (`app://`, `file://`, `tauri://`, `vscode-webview://`, `vscode-file://`), and the configured patterns.
///
/// A pattern is an origin (`https://chat.example`) or an origin with one `*` standing for any run of host
/// or port characters (`https://*.example`, `http://192.168.1.5:*`); `*` alone allows every origin. The
/// origin `null` (sandboxed frames, redirects) is allowed only by `*`.
struct OriginPolicy: Sendable {
    /// The origins allowed whatever is configured.
    static let localPatterns: [String] =
        ["localhost", "127.0.0.1", "[::1]", "0.0.0.0"].flatMap { host in
            ["http://\(host)", "https://\(host)", "http://\(host):*", "https://\(host):*"]
        } + ["app://*", "file://*", "tauri://*", "vscode-webview://*", "vscode-file://*"]

    private let allowsAny: Bool
    private let exact: Set<String>
    private let wildcards: [(prefix: String, suffix: String)]

    /// A policy allowing the local origins and `configured`.
    init(configured: [String]) {
        var exact: Set<String> = []
        var wildcards: [(prefix: String, suffix: String)] = []
        var allowsAny = false
        for pattern in (Self.localPatterns + configured).map(Self.normalized) {
            if pattern == "*" {
                allowsAny = true
            } else if let star = pattern.firstIndex(of: "*") {
                wildcards.append((String(pattern[..<star]), String(pattern[pattern.index(after: star)...])))
            } else {
                exact.insert(pattern)
            }
        }
        self.allowsAny = allowsAny
        self.exact = exact
        self.wildcards = wildcards
    }

    /// Whether a request sent with `Origin: origin` may be served.
    func allows(_ origin: String) -> Bool {
        if allowsAny { return true }
        let origin = Self.normalized(origin)
        if exact.contains(origin) { return true }
        return wildcards.contains { prefix, suffix in
            guard origin.count >= prefix.count + suffix.count, origin.hasPrefix(prefix), origin.hasSuffix(suffix)
            else { return false }
            let middle = origin.dropFirst(prefix.count).dropLast(suffix.count)
            return middle.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) || ".-_:".contains($0) }
        }
    }

    /// Lower case, without a trailing `/`.
    private static func normalized(_ origin: String) -> String {
        let lowered = origin.lowercased()
        return lowered.hasSuffix("/") && !lowered.hasSuffix("://") ? String(lowered.dropLast()) : lowered
    }
}

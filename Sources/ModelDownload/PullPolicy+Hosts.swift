import FoundationEssentials

extension PullPolicy {
    /// Checks that `url` may be requested by a pull that started at a URL whose host is `origin`; throws
    /// `ModelDownloadError.sourceNotAllowed` naming the host and how to allow it, or `.network` when its name
    /// does not resolve. `redirected` says whether `url` came from a redirect, for the message.
    func check(_ url: String, origin: String, redirected: Bool) async throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            ["http", "https"].contains(scheme)
        else {
            throw ModelDownloadError.sourceNotAllowed(
                url: url, host: "", reason: "only http:// and https:// URLs are followed", redirected: redirected)
        }
        guard let host = Self.hostName(of: parsed) else {
            throw ModelDownloadError.sourceNotAllowed(
                url: url, host: "", reason: "the URL names no host", redirected: redirected)
        }
        let literal = IPAddress(host)
        let namedExplicitly =
            allowed.contains { $0.matches(name: host) }
            || literal.map { address in allowed.contains { $0.matches(address: address) } } == true
        let allowedByName =
            namedExplicitly || host == origin || Self.huggingFaceRules.contains { $0.matches(name: host) }
        let notAllowedReason = "it is neither the host the pull started from nor a Hugging Face host"
        let hasBlocks = allowed.contains { if case .addresses = $0 { true } else { false } }
        if !namedExplicitly, let kind = literal?.restrictedKind {
            throw ModelDownloadError.sourceNotAllowed(
                url: url, host: host, reason: "it is a \(kind) address", redirected: redirected)
        }
        guard allowedByName || hasBlocks else {
            throw ModelDownloadError.sourceNotAllowed(
                url: url, host: host, reason: notAllowedReason, redirected: redirected)
        }
        let addresses = try await resolver.addresses(of: host)
        guard !addresses.isEmpty else {
            throw ModelDownloadError.network(url: url, reason: "\(host) has no address")
        }
        if !namedExplicitly {
            for address in addresses {
                guard let kind = address.restrictedKind, !allowed.contains(where: { $0.matches(address: address) })
                else { continue }
                let what = literal == nil ? "it resolves to \(address), a \(kind) address" : "it is a \(kind) address"
                throw ModelDownloadError.sourceNotAllowed(url: url, host: host, reason: what, redirected: redirected)
            }
        }
        let inAllowedBlock = addresses.allSatisfy { address in allowed.contains { $0.matches(address: address) } }
        guard allowedByName || inAllowedBlock else {
            throw ModelDownloadError.sourceNotAllowed(
                url: url, host: host, reason: notAllowedReason, redirected: redirected)
        }
    }

    /// The host of `url` in lower case, without brackets or a trailing dot.
    static func hostName(of url: URL) -> String? {
        guard var host = url.host(percentEncoded: false)?.lowercased(), !host.isEmpty else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        while host.hasSuffix(".") { host.removeLast() }
        return host.isEmpty ? nil : host
    }

    /// The host of the URL text `url`, as `hostName(of:)` gives it; empty when it has none.
    static func hostName(of url: String) -> String {
        URL(string: url).flatMap { hostName(of: $0) } ?? ""
    }
}

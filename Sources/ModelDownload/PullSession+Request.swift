import AsyncHTTPClient
import FoundationEssentials
import Logging
import NIOCore
import NIOHTTP1

extension PullSession {
    /// The statuses whose `Location` a pull follows.
    static let redirectStatuses: Set<UInt> = [301, 302, 303, 307, 308]

    /// Sends a GET for the file, for its bytes from `offset` on when it is above zero, following redirects one
    /// at a time after the policy has allowed each target. Returns the final answer and its head read with the
    /// headers of every answer on the way.
    func request(from offset: Int64) async throws -> (HTTPClientResponse, DownloadResponse) {
        let origin = PullPolicy.hostName(of: reference.url)
        let firstOrigin = URL(string: reference.url).map(Self.origin)
        var url = reference.url
        var chain: [HTTPHeaders] = []
        var visited: Set<String> = []
        while true {
            try await policy.check(url, origin: origin, redirected: !chain.isEmpty)
            visited.insert(url)
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "User-Agent", value: "rockchip-llama")
            if offset > 0 { request.headers.add(name: "Range", value: "bytes=\(offset)-") }
            if let authorization, let target = URL(string: url), Self.origin(target) == firstOrigin {
                request.headers.add(name: "Authorization", value: authorization)
            }
            logger.debug("pull request", metadata: ["pull.url": "\(url)", "pull.offset": "\(offset)"])
            let response = try await client.execute(request, timeout: .seconds(60), logger: logger)
            logger.debug("pull response", metadata: ["pull.url": "\(url)", "pull.status": "\(response.status.code)"])
            chain.append(response.headers)
            guard Self.redirectStatuses.contains(response.status.code),
                let location = response.headers.first(name: "Location")
            else {
                return (
                    response,
                    DownloadResponse(status: Int(response.status.code), headers: response.headers, chain: chain)
                )
            }
            // A redirect's body is a short note; a long one is dropped, which closes its connection.
            _ = try? await response.body.collect(upTo: 64 << 10)
            guard let next = URL(string: location, relativeTo: URL(string: url))?.absoluteString else {
                throw ModelDownloadError.invalidResponse(url: url, reason: "it redirected to '\(location)', not a URL")
            }
            guard chain.count <= policy.maxRedirects, !visited.contains(next) else {
                throw ModelDownloadError.invalidResponse(
                    url: reference.url, reason: "it redirected more than \(policy.maxRedirects) times or in a loop")
            }
            url = next
        }
    }

    /// Scheme, host and port: what must match for a credential to be sent along.
    private static func origin(_ url: URL) -> String {
        let scheme = url.scheme?.lowercased() ?? ""
        return "\(scheme)://\(PullPolicy.hostName(of: url) ?? ""):\(url.port ?? (scheme == "https" ? 443 : 80))"
    }
}

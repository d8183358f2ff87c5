import AsyncHTTPClient
import NIOHTTP1

/// What a pull needs from the head of a download's answer, read from its headers and its redirects' headers.
struct DownloadResponse {
    /// The final status, after redirects.
    var status: Int
    /// The length of the body, when announced.
    var contentLength: Int64?
    /// The range of a 206 answer, or the size of a 416 answer.
    var contentRange: ContentRange?
    /// The SHA-256 digest Hugging Face announces: `X-Linked-Etag` of any answer in the redirect chain, else the
    /// `ETag` of the first, when it is 64 hex digits.
    var announcedSHA256: String?

    /// Reads the final head `headers` with `status`, and `chain`, the headers of every answer in redirect
    /// order (the final one last).
    init(status: Int, headers: HTTPHeaders, chain: [HTTPHeaders]) {
        self.status = status
        contentLength = headers.first(name: "Content-Length").flatMap { Int64($0) }.flatMap { $0 >= 0 ? $0 : nil }
        contentRange = headers.first(name: "Content-Range").flatMap(ContentRange.init)
        let chain = chain.isEmpty ? [headers] : chain
        announcedSHA256 =
            chain.lazy.compactMap { $0.first(name: "X-Linked-Etag").flatMap(SHA256Text.normalized) }.first
            ?? chain[0].first(name: "ETag").flatMap(SHA256Text.normalized)
    }

    /// Reads an AsyncHTTPClient answer.
    init(_ response: HTTPClientResponse) {
        self.init(
            status: Int(response.status.code), headers: response.headers,
            chain: response.history.map(\.responseHead.headers))
    }

    /// The size of the whole file this answer announces, for a download that starts at `offset`: the
    /// `Content-Range` total of a 206 (or offset plus the body's length), the `Content-Length` of a 200.
    func total(from offset: Int64) -> Int64? {
        switch status {
        case 206: contentRange?.total ?? contentLength.map { offset + $0 }
        case 200: contentLength
        default: nil
        }
    }
}

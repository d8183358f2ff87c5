import NIOHTTP1
import Testing

@testable import ModelDownload

@Suite("DownloadResponse")
struct DownloadResponseTests {
    private let digest = String(repeating: "0f", count: 32)

    @Test("Content-Range headers of 206 and 416 answers are read; others are refused")
    func contentRange() {
        #expect(ContentRange("bytes 100-199/1000") == ContentRange(first: 100, last: 199, total: 1000))
        #expect(ContentRange("bytes 0-9/*") == ContentRange(first: 0, last: 9, total: nil))
        #expect(ContentRange("bytes */1000") == ContentRange(first: nil, last: nil, total: 1000))
        #expect(ContentRange("bytes */*") == nil)
        #expect(ContentRange("items 0-9/10") == nil)
        #expect(ContentRange("bytes 9-0/10") == nil)
    }

    @Test("the total is the Content-Range total of a 206 and the Content-Length of a 200")
    func total() {
        let partial = DownloadResponse(
            status: 206, headers: ["Content-Range": "bytes 10-99/100", "Content-Length": "90"], chain: [])
        #expect(partial.total(from: 10) == 100)
        let whole = DownloadResponse(status: 200, headers: ["Content-Length": "100"], chain: [])
        #expect(whole.total(from: 0) == 100)
    }

    @Test("X-Linked-Etag of a redirect wins; an ETag counts only when it is a quoted sha256")
    func announcedDigest() {
        let redirect: HTTPHeaders = ["X-Linked-Etag": "\"\(digest)\"", "ETag": "\"abc\""]
        let final: HTTPHeaders = ["ETag": "\"d41d8cd98f00b204e9800998ecf8427e\""]
        #expect(DownloadResponse(status: 200, headers: final, chain: [redirect, final]).announcedSHA256 == digest)
        #expect(DownloadResponse(status: 200, headers: final, chain: [final]).announcedSHA256 == nil)
        let direct: HTTPHeaders = ["ETag": "W/\"\(digest.uppercased())\""]
        #expect(DownloadResponse(status: 200, headers: direct, chain: []).announcedSHA256 == digest)
    }
}

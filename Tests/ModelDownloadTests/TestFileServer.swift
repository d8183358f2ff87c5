import Crypto
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Synchronization
import Testing

/// An HTTP file server on 127.0.0.1 for pull tests.
///
/// - `GET /files/<name>` serves a file, honouring `Range: bytes=<from>-` (206, or 416 past the end), and
///   `404` for a name it does not have;
/// - `GET /<owner>/<repo>/resolve/main/<name>` answers like Hugging Face: a 302 to `/files/<name>` carrying the
///   file's digest in `X-Linked-Etag` (or `announcedDigest`, to test a wrong one); owner `gated` gets a 401;
/// - `GET /go/<name>?to=<url>` answers a 302 to `<url>`;
/// - `GET /json/<name>` answers 200 with a small JSON document (an API answer saved under a model's name);
/// - `GET /huge/<name>` announces a `Content-Length` of 10^15 bytes;
/// - `GET /endless/<name>` sends a GGUF header and then zeros in chunks (no `Content-Length`) until the client
///   goes away;
/// - `cutNextResponse(after:)` makes the next file answer drop the connection after that many body bytes;
/// - `stallNextResponse(after:)` makes it send that many bytes, then one byte every 50 ms.
///
/// Every request is logged with its `Range` header and the status it got.
final class TestFileServer: Sendable {
    /// One request as the server saw it.
    struct LoggedRequest: Sendable, Equatable {
        var path: String
        var range: String?
        var status: Int
    }

    private enum Disruption {
        case cut(after: Int)
        case stall(after: Int)
    }

    private struct ResponseFailure: Error {}

    /// The files served, by name.
    let files: [String: [UInt8]]
    /// The digest announced for every file instead of its real one, if set.
    let announcedDigest: String?
    private let log = Mutex<[LoggedRequest]>([])
    private let disruption = Mutex<Disruption?>(nil)

    /// A server of `files`.
    init(files: [String: [UInt8]], announcedDigest: String? = nil) {
        self.files = files
        self.announcedDigest = announcedDigest
    }

    /// The requests received so far.
    var requests: [LoggedRequest] { log.withLock { $0 } }

    /// The requests for files (not the Hugging Face redirects) received so far.
    var fileRequests: [LoggedRequest] { requests.filter { $0.path.hasPrefix("/files/") } }

    /// Makes the next file answer drop the connection after `count` body bytes.
    func cutNextResponse(after count: Int) { disruption.withLock { $0 = .cut(after: count) } }

    /// Makes the next file answer send `count` bytes, then one byte every 50 ms.
    func stallNextResponse(after count: Int) { disruption.withLock { $0 = .stall(after: count) } }

    /// Runs `test` with the port of the server, listening on 127.0.0.1.
    func run(_ test: @escaping @Sendable (Int) async throws -> Void) async throws {
        var logger = Logger(label: "test-file-server")
        logger.logLevel = .critical
        let app = Application(
            router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in try await test(try #require(client.port)) }
    }

    /// The first bytes of a GGUF file: the magic and version 3.
    static let ggufHeader: [UInt8] = Array("GGUF".utf8) + [3, 0, 0, 0]

    /// The lower-case hex SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    private func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("files/:name") { request, context in
            self.serveFile(request: request, name: try context.parameters.require("name"))
        }
        router.get("go/:name") { request, _ in
            self.record(request, status: .found)
            return Response(
                status: .found, headers: [.location: request.uri.queryParameters["to"].map(String.init) ?? "/"])
        }
        router.get("json/:name") { request, _ in
            self.record(request, status: .ok)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"models":[{"name":"smollm2"}]}"#)))
        }
        router.get("huge/:name") { request, _ in
            self.record(request, status: .ok)
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody(contentLength: 1_000_000_000_000_000) { writer in
                    try await writer.write(ByteBuffer(bytes: TestFileServer.ggufHeader))
                    try await Task.sleep(for: .milliseconds(500))
                    throw ResponseFailure()
                })
        }
        router.get("endless/:name") { request, _ in
            self.record(request, status: .ok)
            return Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody { writer in
                    try await writer.write(ByteBuffer(bytes: TestFileServer.ggufHeader))
                    let chunk = ByteBuffer(repeating: 0, count: 64 << 10)
                    while !Task.isCancelled { try await writer.write(chunk) }
                    try await writer.finish(nil)
                })
        }
        router.get(":owner/:repo/resolve/main/:name") { request, context in
            let owner = try context.parameters.require("owner")
            let name = try context.parameters.require("name")
            let status: HTTPResponse.Status = owner == "gated" ? .unauthorized : .found
            self.record(request, status: status)
            guard status == .found else { return Response(status: status) }
            var headers: HTTPFields = [.location: "/files/\(name)"]
            if let file = self.files[name], let linkedEtag = HTTPField.Name("X-Linked-Etag") {
                headers[linkedEtag] = "\"\(self.announcedDigest ?? Self.sha256(file))\""
            }
            return Response(status: status, headers: headers)
        }
        return router
    }

    private func serveFile(request: Request, name: String) -> Response {
        guard let file = files[name] else {
            record(request, status: .notFound)
            return Response(status: .notFound)
        }
        var start = 0
        if let range = request.headers[.range], range.hasPrefix("bytes="), range.hasSuffix("-"),
            let from = Int(range.dropFirst("bytes=".count).dropLast())
        {
            guard from < file.count else {
                record(request, status: .rangeNotSatisfiable)
                return Response(status: .rangeNotSatisfiable, headers: [.contentRange: "bytes */\(file.count)"])
            }
            start = from
        }
        let status: HTTPResponse.Status = request.headers[.range] == nil ? .ok : .partialContent
        record(request, status: status)
        var headers: HTTPFields = [.contentType: "application/octet-stream"]
        if status == .partialContent { headers[.contentRange] = "bytes \(start)-\(file.count - 1)/\(file.count)" }
        let body = ByteBuffer(bytes: file[start...])
        let disruption = self.disruption.withLock { value in
            defer { value = nil }
            return value
        }
        return Response(
            status: status, headers: headers,
            body: ResponseBody(contentLength: body.readableBytes) { writer in
                try await Self.write(body, to: &writer, disruption: disruption)
            })
    }

    private static func write(
        _ body: ByteBuffer, to writer: inout any ResponseBodyWriter, disruption: Disruption?
    ) async throws {
        switch disruption {
        case nil:
            try await writer.write(body)
            try await writer.finish(nil)
        case .cut(let count):
            try await writer.write(body.getSlice(at: body.readerIndex, length: min(count, body.readableBytes))!)
            throw ResponseFailure()
        case .stall(let count):
            var rest = body
            try await writer.write(rest.readSlice(length: min(count, rest.readableBytes))!)
            for _ in 0..<400 {
                try await Task.sleep(for: .milliseconds(50))
                guard let byte = rest.readSlice(length: 1) else { break }
                try await writer.write(byte)
            }
            throw ResponseFailure()
        }
    }

    private func record(_ request: Request, status: HTTPResponse.Status) {
        let entry = LoggedRequest(path: request.uri.path, range: request.headers[.range], status: status.code)
        log.withLock { $0.append(entry) }
    }
}

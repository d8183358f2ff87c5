import FoundationEssentials
import Glibc
import InferenceCore
import InferenceTypes

/// A minimal blocking HTTP/1.1 client over a loopback socket, for the benchmark: it timestamps every
/// read so that time to first token and token arrival are measured as a client sees them.
struct BenchHTTPClient {
    /// What a request returned, with the time each piece of the body arrived.
    struct Reply {
        var status: Int
        var body: String
        /// `(seconds since the request was sent, bytes read at that moment)`.
        var arrivals: [(Double, String)]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int
    /// Sent as `Authorization: Bearer`, so that the server's key check is part of what is measured.
    var apiKey: String?
    /// Sent as `Origin` (an allowed one), so that the browser checks and CORS headers are measured too.
    var origin: String?
    /// The server's IPv4 address or host name (`--against`); loopback for the servers the bench starts.
    var host = "127.0.0.1"

    /// A client of the server at `url` (`http://host:port`, no key, no origin).
    init(url: String) throws {
        var rest = Substring(url)
        if rest.hasPrefix("http://") { rest = rest.dropFirst(7) }
        rest = rest.prefix { $0 != "/" }
        let parts = rest.split(separator: ":")
        guard let host = parts.first, !host.isEmpty, parts.count <= 2,
            let port = parts.count == 2 ? Int(parts[1]) : 80, (1...65535).contains(port)
        else { throw Failure(description: "--against wants http://host:port, not \(url)") }
        self.init(port: port, host: String(host))
    }

    /// A client of 127.0.0.1:`port`, or `host`.
    init(port: Int, apiKey: String? = nil, origin: String? = nil, host: String = "127.0.0.1") {
        self.port = port
        self.apiKey = apiKey
        self.origin = origin
        self.host = host
    }

    func get(_ path: String, timeout: Int? = nil) throws -> Reply {
        try send("GET \(path) HTTP/1.1\r\n\(commonHeaders)\r\n", timeout: timeout)
    }

    /// A request without a body (`DELETE`, `GET`).
    func send(method: String, _ path: String) throws -> Reply {
        try send("\(method) \(path) HTTP/1.1\r\n\(commonHeaders)\r\n")
    }

    func post(_ path: String, json: String) throws -> Reply {
        let body = Array(json.utf8)
        return try send(
            "POST \(path) HTTP/1.1\r\n\(commonHeaders)Content-Type: application/json\r\n"
                + "Content-Length: \(body.count)\r\n\r\n\(json)")
    }

    private var commonHeaders: String {
        "Host: \(host):\(port)\r\nConnection: close\r\n" + (apiKey.map { "Authorization: Bearer \($0)\r\n" } ?? "")
            + (origin.map { "Origin: \($0)\r\n" } ?? "")
    }

    /// A `POST` whose answer is read piece by piece as it arrives (a stream a client may hang up on).
    func open(_ path: String, json: String) throws -> BenchStream {
        let body = Array(json.utf8)
        return try BenchStream(
            host: host, port: port,
            request: "POST \(path) HTTP/1.1\r\n\(commonHeaders)Content-Type: application/json\r\n"
                + "Content-Length: \(body.count)\r\n\r\n\(json)")
    }

    /// A socket connected to `host`:`port` (IPv4), with Nagle's delay off; `nil` when it cannot connect.
    static func connect(host: String = "127.0.0.1", port: Int) -> Int32? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard let resolved = resolve(host) else {
            close(socket)
            return nil
        }
        address.sin_addr = resolved
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(socket)
            return nil
        }
        var noDelay: Int32 = 1
        setsockopt(socket, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
        return socket
    }

    /// The IPv4 address of `host` (dotted or a name).
    private static func resolve(_ host: String) -> in_addr? {
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else { return nil }
        defer { freeaddrinfo(list) }
        return first.pointee.ai_addr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
    }

    /// Sends `request` and reads the answer until the server closes; `timeout` bounds each read, in seconds.
    private func send(_ request: String, timeout: Int? = nil) throws -> Reply {
        guard let socket = Self.connect(host: host, port: port) else {
            throw Failure(description: "cannot connect to \(host):\(port)")
        }
        defer { close(socket) }
        if let timeout {
            var limit = timeval(tv_sec: timeout, tv_usec: 0)
            setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        }
        let start = MonotonicClock.now()
        let bytes = Array(request.utf8)
        guard write(socket, bytes, bytes.count) == bytes.count else { throw Failure(description: "write failed") }
        var raw: [UInt8] = []
        var arrivals: [(Double, String)] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(socket, &buffer, buffer.count)
            if count <= 0 { break }
            raw.append(contentsOf: buffer[0..<count])
            arrivals.append(
                (Double(MonotonicClock.since(start)) / 1e9, String(decoding: buffer[0..<count], as: UTF8.self)))
        }
        let text = String(decoding: raw, as: UTF8.self)
        guard let statusLine = text.split(separator: "\r\n").first,
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "")
        else { throw Failure(description: "no HTTP response") }
        let body = text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n")
        return Reply(status: status, body: body, arrivals: arrivals)
    }
}

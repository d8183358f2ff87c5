import Glibc
import InferenceCore
import InferenceTypes

/// One HTTP request whose answer is read piece by piece, each piece timestamped; another thread may hang up
/// on it (`hangUp`), as a client pressing Stop does.
final class BenchStream: Sendable {
    private let socket: Int32
    private let start: UInt64

    /// Connects and sends `request`; a read that waits longer than `readTimeoutSeconds` ends the answer.
    init(host: String, port: Int, request: String, readTimeoutSeconds: Int = 300) throws {
        guard let socket = BenchHTTPClient.connect(host: host, port: port) else {
            throw BenchHTTPClient.Failure(description: "cannot connect to \(host):\(port)")
        }
        self.socket = socket
        // A guard against a server that stops answering: no read waits longer than `readTimeoutSeconds`.
        var limit = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        start = MonotonicClock.now()
        let bytes = Array(request.utf8)
        guard write(socket, bytes, bytes.count) == bytes.count else {
            close(socket)
            throw BenchHTTPClient.Failure(description: "write failed")
        }
    }

    deinit { close(socket) }

    /// The next piece of the answer and when it arrived (seconds since the request was sent); `nil` at the end.
    func read() -> (seconds: Double, text: String)? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = Glibc.read(socket, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return (Double(MonotonicClock.since(start)) / 1e9, String(decoding: buffer[0..<count], as: UTF8.self))
    }

    /// Closes the connection in both directions: the server sees the client leave, a blocked `read` returns.
    func hangUp() {
        shutdown(socket, Int32(SHUT_RDWR))
    }
}

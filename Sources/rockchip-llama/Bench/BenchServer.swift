import FoundationEssentials
import Glibc
import InferenceCore
import InferenceTypes
import ModelStore

/// A models directory for the benchmark holding a link to the measured model.
struct BenchModelsDirectory {
    let path: String
    let descriptor: ModelDescriptor

    init(model: String) throws {
        let absolute = URL(fileURLWithPath: model).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: absolute) else {
            throw BenchHTTPClient.Failure(description: "no model file at \(absolute)")
        }
        path = FileManager.default.temporaryDirectory.appendingPathComponent("rockchip-llama-bench-\(getpid())").path
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: "\(path)/\(PathNames.fileName(absolute))", withDestinationPath: absolute)
        guard let descriptor = ModelRegistry(directory: path).models().first else {
            throw BenchHTTPClient.Failure(description: "\(absolute) is not a model file")
        }
        self.descriptor = descriptor
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// `rockchip-llama serve` started as a child process on a free port, as a user would start it, with an API
/// key that its `client` sends along with an allowed `Origin`, so that access control is part of every figure.
final class BenchServer {
    let pid: pid_t
    let port: Int
    /// A client of this server that sends its key and a local origin.
    let client: BenchHTTPClient
    /// From launching the process to the first 200 on `/health`.
    let startupSeconds: Double

    /// - Parameter startupLimitSeconds: how long it may take to answer `/health`; then it is killed.
    init(modelsDirectory: String, model: String?, arguments extra: [String], startupLimitSeconds: UInt64 = 120)
        throws
    {
        port = try Self.freePort()
        let key = "bench-\(UInt64.random(in: .min ... .max))"
        client = BenchHTTPClient(port: port, apiKey: key, origin: "http://localhost:3000")
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var arguments =
            [
                executable, "serve", "--host", "127.0.0.1", "--port", "\(port)", "--models-dir", modelsDirectory,
                "--log-level", "warning", "--api-key", key,
            ] + extra
        if let model { arguments += ["--model", model] }
        let start = MonotonicClock.now()
        pid = try Self.spawn(arguments)
        while true {
            if let reply = try? client.get("/health"), reply.status == 200 { break }
            guard kill(pid, 0) == 0, MonotonicClock.since(start) < startupLimitSeconds * 1_000_000_000 else {
                kill(pid, SIGKILL)
                waitpid(pid, nil, 0)
                throw BenchHTTPClient.Failure(description: "the server did not become healthy")
            }
            usleep(2000)
        }
        startupSeconds = Double(MonotonicClock.since(start)) / 1e9
    }

    /// The server's resident memory now, in bytes.
    func residentBytes() throws -> UInt64 {
        try Self.residentBytes(of: pid)
    }

    /// The runner process of the loaded model, from `/v1/models/loaded`; `nil` when the model runs inside.
    func runnerPID() throws -> pid_t? {
        let body = try client.get("/v1/models/loaded").body
        guard let range = body.ranges(of: #""runner_pid":"#).first else { return nil }
        return pid_t(body[range.upperBound...].prefix { $0.isNumber })
    }

    /// A process's resident memory now, in bytes.
    static func residentBytes(of pid: pid_t) throws -> UInt64 {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return UInt64(line.split(separator: " ").dropFirst().first ?? "0").map { $0 * 1024 } ?? 0
    }

    /// The memory only this process maps (`Private_Clean` + `Private_Dirty`), in bytes: VmRSS also counts
    /// the pages of the executable and of libc that a runner shares with its server, which cost nothing more.
    static func privateBytes(of pid: pid_t) throws -> UInt64 {
        let rollup = try String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8)
        return
            rollup.split(separator: "\n")
            .filter { $0.hasPrefix("Private_Clean:") || $0.hasPrefix("Private_Dirty:") }
            .reduce(0) { $0 + (UInt64($1.split(separator: " ").dropFirst().first ?? "0") ?? 0) * 1024 }
    }

    private var stopped = false

    /// Stops the server (once).
    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        // A server stuck in a call that ignores SIGTERM is killed once its drain could have ended (40 s).
        var waits = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            guard waits < 400 else {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                return
            }
            waits += 1
            usleep(100_000)
        }
    }

    /// The resident memory of a server that serves an empty models directory.
    static func idleResidentBytes(arguments: [String]) throws -> UInt64 {
        let empty = FileManager.default.temporaryDirectory
            .appendingPathComponent("rockchip-llama-bench-empty-\(getpid())").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let server = try BenchServer(modelsDirectory: empty, model: nil, arguments: arguments)
        defer { server.stop() }
        return try server.residentBytes()
    }

    /// What `rockchip-llama serve --help` prints: which options this server has.
    static func serveHelp() throws -> String {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("rockchip-llama-bench-help-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let arguments: [String] = [executable, "serve", "--help"]
        var cArguments = arguments.map { strdup($0) }
        cArguments.append(nil)
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, nil, cArguments, environ) == 0 else { return "" }
        waitpid(pid, nil, 0)
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    private static func spawn(_ arguments: [String]) throws -> pid_t {
        var cArguments = arguments.map { strdup($0) }
        cArguments.append(nil)
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], nil, nil, cArguments, environ)
        guard result == 0 else { throw BenchHTTPClient.Failure(description: "cannot start \(arguments[0]): \(result)") }
        return pid
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(socket, pointer, length) == 0 else { return -1 }
                return getsockname(socket, pointer, &length)
            }
        }
        guard bound == 0 else { throw BenchHTTPClient.Failure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

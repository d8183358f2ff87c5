import FoundationEssentials
import Glibc
import InferenceCore
import InferenceTypes

/// llama.cpp's own llama-server (`--peer PATH`), started on the same model file with the same threads, four
/// slots (`-np 4`) of our per-slot context each, on a free loopback port; its output goes to a log file.
final class BenchPeer {
    let pid: pid_t
    let client: BenchHTTPClient
    /// The command line, for the report.
    let commandLine: String
    let logPath: String
    private var stopped = false

    init(executable: String, model: String, threads: Int, contextPerSlot: Int, slots: Int = 4) throws {
        let port = try BenchServer.freePort()
        client = BenchHTTPClient(port: port)
        let arguments = [
            executable, "-m", model, "-t", "\(threads)", "-np", "\(slots)", "-c", "\(contextPerSlot * slots)",
            "--host", "127.0.0.1", "--port", "\(port)",
        ]
        commandLine = (["llama-server"] + arguments.dropFirst()).joined(separator: " ")
        logPath = FileManager.default.temporaryDirectory.appendingPathComponent("bench-peer-\(getpid()).log").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = arguments.map { strdup($0) }
        cArguments.append(nil)
        defer { cArguments.forEach { free($0) } }
        var child: pid_t = 0
        let result = posix_spawn(&child, executable, &actions, nil, cArguments, environ)
        guard result == 0 else { throw BenchHTTPClient.Failure(description: "cannot start \(executable): \(result)") }
        pid = child
        let start = MonotonicClock.now()
        while true {
            if let reply = try? client.get("/health", timeout: 5), reply.status == 200 { break }
            guard kill(pid, 0) == 0, MonotonicClock.since(start) < 120_000_000_000 else {
                stop()
                throw BenchHTTPClient.Failure(description: "llama-server did not become healthy (log: \(logPath))")
            }
            usleep(50_000)
        }
    }

    deinit { stop() }

    /// Stops it (once): SIGTERM, then SIGKILL after 10 s.
    func stop() {
        guard !stopped else { return }
        stopped = true
        kill(pid, SIGTERM)
        var status: Int32 = 0
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) != 0 { return }
            usleep(100_000)
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
    }

    /// The first model id of an OpenAI-compatible server's `/v1/models`.
    static func firstModel(of client: BenchHTTPClient) throws -> String {
        let reply = try client.get("/v1/models", timeout: 10)
        guard reply.status == 200, let range = reply.body.firstRange(of: #""id":""#) else {
            throw BenchHTTPClient.Failure(description: "no model in /v1/models (HTTP \(reply.status))")
        }
        return String(reply.body[range.upperBound...].prefix { $0 != "\"" })
    }
}

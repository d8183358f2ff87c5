import BenchReporting
import Dispatch
import EngineSupport
import FoundationEssentials
import Glibc
import InferenceCore
import InferenceTypes
import Synchronization

/// The hostile inputs of the hardening work, each held against a server of its own while `/health` (and
/// `/api/tags`, which Open WebUI polls) is probed: how long a client that means no harm waits under each.
struct BenchAttacks {
    /// One attack's figures.
    struct Result {
        var name: String
        /// Probes answered 200, of those sent.
        var answered: Int
        var probes: Int
        var p50Seconds: Double
        var maxSeconds: Double
        /// Whether the server was still running afterwards.
        var survived: Bool
    }

    /// The model file the attacked servers serve (a copy named `slow-template` gets a hostile template).
    let modelPath: String
    /// Arguments every attacked server starts with (libraries, context length).
    let serverArguments: [String]
    /// Probes per attack, 50 ms apart.
    var probes = 20

    /// Runs every attack in turn.
    func run() throws -> [Result] {
        [
            try attack("200 idle connections", path: "/health") { client, stop in
                let sockets = (0..<200).compactMap { _ in BenchSocket(port: client.port) }
                stop.wait()
                _ = sockets
            },
            try attack("50 slowloris clients", path: "/health") { client, stop in
                try Self.each(50) {
                    guard let socket = BenchSocket(port: client.port) else { return }
                    for byte in Array("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8) {
                        guard !stop.isSet, socket.send([byte]) else { return }
                        usleep(200_000)
                    }
                    stop.wait()
                }
            },
            try attack("50 false Content-Length bodies", path: "/health") { client, stop in
                try Self.each(50) {
                    guard let socket = BenchSocket(port: client.port) else { return }
                    _ = socket.send(
                        Array(
                            ("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                + "application/json\r\nContent-Length: 100000000\r\n\r\n{").utf8))
                    stop.wait()
                }
            },
            try attack("4 slow chat-template renders", path: "/health") { client, stop in
                try Self.each(4) {
                    while !stop.isSet {
                        _ = try? client.post("/v1/chat/completions", json: Self.slowTemplateChat)
                    }
                }
            },
            try attack("hostile model files (/api/tags)", path: "/api/tags", hostileFiles: true) { _, stop in
                stop.wait()
            },
        ]
    }

    /// A one-token chat with the model whose template is slow.
    static let slowTemplateChat =
        #"{"model":"slow-template","messages":[{"role":"user","content":"slow"}],"max_tokens":1}"#

    /// Starts a server, runs `body` on its own thread until the probes are done, then stops it.
    private func attack(
        _ name: String, path: String, hostileFiles: Bool = false,
        _ body: @escaping @Sendable (BenchHTTPClient, BenchFlag) throws -> Void
    ) throws -> Result {
        let directory = try attackDirectory(hostileFiles: hostileFiles)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server: BenchServer
        do {
            server = try BenchServer(
                modelsDirectory: directory, model: nil, arguments: serverArguments, startupLimitSeconds: 20)
        } catch {
            return Result(name: name, answered: 0, probes: probes, p50Seconds: 0, maxSeconds: 0, survived: false)
        }
        defer { server.stop() }
        let client = server.client
        let stop = BenchFlag()
        let finished = DispatchGroup()
        finished.enter()
        try DetachedThread.start {
            try? body(client, stop)
            finished.leave()
        }
        usleep(500_000)
        var times: [Double] = []
        for _ in 0..<probes {
            let start = MonotonicClock.now()
            if let reply = try? client.get(path, timeout: 5), reply.status == 200 {
                times.append(Double(MonotonicClock.since(start)) / 1e9)
            }
            usleep(50_000)
        }
        stop.set()
        finished.wait()
        let survived = kill(server.pid, 0) == 0 && (try? client.get("/health", timeout: 5)) != nil
        return Result(
            name: name, answered: times.count, probes: probes, p50Seconds: BenchStatistics.median(times),
            maxSeconds: times.max() ?? 0, survived: survived)
    }

    /// A models directory with the model and a copy of it whose sidecar holds a template that re-concatenates
    /// a growing string in a long loop (for messages that say `slow`); with `hostileFiles`, also a GGUF whose
    /// header nests an array 200000 deep and a FIFO named like a model.
    private func attackDirectory(hostileFiles: Bool) throws -> String {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rockchip-llama-attack-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fileName = PathNames.fileName(modelPath)
        try FileManager.default.createSymbolicLink(atPath: "\(directory)/\(fileName)", withDestinationPath: modelPath)
        guard fileName.hasSuffix(".gguf") else { return directory }
        try FileManager.default.createSymbolicLink(
            atPath: "\(directory)/slow-template.gguf", withDestinationPath: modelPath)
        // Slow only for a message that asks for it, so that the model still loads when its template is checked.
        let template =
            "{% set ns = namespace(s='') %}{% if 'slow' in messages[-1]['content'] %}{% for i in range(100000) %}"
            + "{% set ns.s = ns.s ~ 'xxxxxxxxxxxxxxxxxxxx' %}{% endfor %}{% endif %}{{ ns.s }}"
            + "{{ messages[-1]['content'] }}"
        let sidecar = #"{"chat_template": "\#(template)"}"#
        try Data(sidecar.utf8).write(to: URL(fileURLWithPath: "\(directory)/slow-template.gguf.json"))
        if hostileFiles {
            try Data(Self.nestedArrayGGUF(depth: 200_000)).write(to: URL(fileURLWithPath: "\(directory)/nested.gguf"))
            mkfifo("\(directory)/fifo.gguf", 0o644)
        }
        return directory
    }

    /// A GGUF header with one key whose value is an array of arrays, `depth` levels deep.
    static func nestedArrayGGUF(depth: Int) -> [UInt8] {
        var bytes = Array("GGUF".utf8)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        append(UInt32(3))
        append(UInt64(0))
        append(UInt64(1))
        let key = Array("nested".utf8)
        append(UInt64(key.count))
        bytes.append(contentsOf: key)
        append(UInt32(9))  // array
        for _ in 0..<depth {
            append(UInt32(9))  // of arrays
            append(UInt64(1))  // one element
        }
        append(UInt32(4))  // the innermost: an array of one uint32
        append(UInt64(1))
        append(UInt32(7))
        return bytes
    }

    /// Runs `count` copies of `body`, each on its own thread, and returns once all have ended.
    private static func each(_ count: Int, _ body: @escaping @Sendable () throws -> Void) throws {
        let finished = DispatchGroup()
        for _ in 0..<count {
            finished.enter()
            try DetachedThread.start {
                try? body()
                finished.leave()
            }
        }
        finished.wait()
    }
}

/// A flag threads wait on: set once, seen by all.
final class BenchFlag: Sendable {
    private let state = Mutex(false)
    private let raised = DispatchGroup()

    init() {
        raised.enter()
    }

    var isSet: Bool { state.withLock { $0 } }

    func set() {
        let first = state.withLock { isSet -> Bool in
            defer { isSet = true }
            return !isSet
        }
        if first { raised.leave() }
    }

    /// Returns once the flag is set.
    func wait() {
        raised.wait()
    }
}

/// A connected loopback socket the attacks hold open; closed when released.
final class BenchSocket: Sendable {
    let descriptor: Int32

    init?(port: Int) {
        guard let descriptor = BenchHTTPClient.connect(port: port) else { return nil }
        self.descriptor = descriptor
    }

    /// Writes `bytes`; `false` once the server has closed the connection.
    func send(_ bytes: [UInt8]) -> Bool {
        Glibc.send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count
    }

    deinit {
        close(descriptor)
    }
}

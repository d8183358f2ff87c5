import BenchReporting
import Dispatch
import EngineSupport
import InferenceCore
import InferenceTypes
import Synchronization

/// The concurrency sweep: at each level, that many clients each send `rounds` streamed chat requests one after
/// the other; our server and then the peer, level by level, so that drift hits both.
struct BenchSweep {
    let levels: [Int]
    let rounds: Int
    let tokens: Int

    /// The sweep against `ours` and, interleaved, `peer`.
    func run(ours: BenchTarget?, peer: BenchTarget?) throws -> [SweepPoint] {
        for target in [ours, peer].compactMap({ $0 }) {
            _ = try BenchChat(target: target).answer([("user", "Warm-up. Say hello.")], maxTokens: 8)
        }
        return try levels.map { clients in
            let oursFigures = try ours.map { try level($0, clients: clients) }
            let peerFigures = try peer.map { try level($0, clients: clients) }
            return SweepPoint(clients: clients, ours: oursFigures, peer: peerFigures)
        }
    }

    /// One level on one server.
    func level(_ target: BenchTarget, clients: Int) throws -> LoadFigures {
        BenchProgress.say("sweep: \(target.label), \(clients) clients × \(rounds) requests")
        let outcomes = Mutex<[BenchChat.Result]>([])
        let failure = Mutex<(any Error)?>(nil)
        let chat = BenchChat(target: target)
        let finished = DispatchGroup()
        let start = MonotonicClock.now()
        // A thread per client (Dispatch would run only as many at once as there are cores).
        for client in 0..<clients {
            finished.enter()
            try DetachedThread.start {
                defer { finished.leave() }
                for round in 0..<rounds {
                    do {
                        let prompt =
                            "Client \(client), request \(round), \(target.label) at \(clients): "
                            + BenchPrompts.performance[(client + round) % BenchPrompts.performance.count]
                        let result = try chat.run([("user", prompt)], maxTokens: tokens)
                        guard result.status == 200 || result.status == 503 else {
                            throw BenchHTTPClient.Failure(description: "HTTP \(result.status): \(result.body)")
                        }
                        outcomes.withLock { $0.append(result) }
                    } catch {
                        failure.withLock { $0 = error }
                    }
                }
            }
        }
        finished.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        let seconds = Double(MonotonicClock.since(start)) / 1e9
        let results = outcomes.withLock { $0 }
        let answered = results.filter { $0.status == 200 }
        let firstTokens = answered.map { $0.ttftSeconds * 1000 }
        return LoadFigures(
            requests: results.count, refused: results.count - answered.count,
            aggregateTokensPerSecond: Double(answered.reduce(0) { $0 + $1.tokens }) / seconds,
            ttftP50Millis: BenchStatistics.percentile(firstTokens, 0.50),
            ttftP99Millis: BenchStatistics.percentile(firstTokens, 0.99))
    }
}

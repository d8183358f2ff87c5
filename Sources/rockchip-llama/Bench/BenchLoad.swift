import BenchReporting
import Dispatch
import EngineSupport
import FoundationEssentials
import InferenceCore
import InferenceTypes
import Synchronization

/// Concurrent streaming clients against one model: how many tokens the server delivers per second in
/// total, and how long each client waits for its first token.
struct BenchLoad {
    /// The figures of one concurrency level.
    struct Result {
        var concurrency: Int
        var requests: Int
        var refused: Int
        var aggregateTokensPerSecond: Double
        var ttftP50Seconds: Double
        var ttftP99Seconds: Double
    }

    let client: BenchHTTPClient
    let model: String
    let tokens: Int

    /// `concurrency` clients each send `rounds` streamed requests one after the other.
    func run(concurrency: Int, rounds: Int) throws -> Result {
        let outcomes = Mutex<[(ttft: Double, tokens: Int)?]>([])
        let failure = Mutex<(any Error)?>(nil)
        let start = MonotonicClock.now()
        // A thread per client (Dispatch would run only as many at once as there are cores).
        let finished = DispatchGroup()
        for clientIndex in 0..<concurrency {
            finished.enter()
            try DetachedThread.start {
                for round in 0..<rounds {
                    do {
                        let outcome = try once(tag: "L\(concurrency)-\(clientIndex)-\(round)")
                        outcomes.withLock { $0.append(outcome) }
                    } catch {
                        failure.withLock { $0 = error }
                    }
                }
                finished.leave()
            }
        }
        finished.wait()
        if let error = failure.withLock({ $0 }) { throw error }
        let seconds = Double(MonotonicClock.since(start)) / 1e9
        let answered = outcomes.withLock { $0.compactMap { $0 } }
        let firstTokens = answered.map(\.ttft)
        return Result(
            concurrency: concurrency, requests: concurrency * rounds, refused: concurrency * rounds - answered.count,
            aggregateTokensPerSecond: Double(answered.reduce(0) { $0 + $1.tokens }) / seconds,
            ttftP50Seconds: BenchStatistics.percentile(firstTokens, 0.50),
            ttftP99Seconds: BenchStatistics.percentile(firstTokens, 0.99))
    }

    /// One streamed request: its time to first token and its tokens; `nil` when the server refused it (503).
    private func once(tag: String) throws -> (ttft: Double, tokens: Int)? {
        let body =
            #"{"model":"\#(model)","prompt":"\#(Bench.prompt(tag))","max_tokens":\#(tokens),"temperature":0,"stream":true}"#
        let reply = try client.post("/v1/completions", json: body)
        if reply.status == 503 { return nil }
        guard reply.status == 200 else {
            throw BenchHTTPClient.Failure(description: "HTTP \(reply.status): \(reply.body)")
        }
        var first: Double?
        var count = 0
        for (time, text) in reply.arrivals {
            let pieces = text.components(separatedBy: #""finish_reason":null"#).count - 1
            if pieces > 0 && first == nil { first = time }
            count += pieces
        }
        return (first ?? 0, count)
    }
}

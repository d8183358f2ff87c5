import BenchReporting
import FoundationEssentials
import Glibc
import OrderedJSON

/// The #534 EOS workaround, measured on the RKLLM simulator: with `RKLLM_SIM_FAULT_WRONG_EOS=1` the simulator
/// does not end at the model's EOS but rambles on to `max_tokens`, counting in its event log the tokens it makes
/// after the EOS; the engine is to stop it within one.
struct BenchEOS {
    let runs: Int
    /// The simulator's event log, which the server's runners append to.
    let eventLog: String
    static let maxTokens = 200

    /// Switches the simulator's wrong-EOS fault on for the server about to start and gives it an event log
    /// (`RKLLM_SIM_EVENT_LOG`, unless set); returns the log's path.
    static func switchFaultOn() -> String {
        setenv("RKLLM_SIM_FAULT_WRONG_EOS", "1", 1)
        if let path = getenv("RKLLM_SIM_EVENT_LOG").map({ String(cString: $0) }), !path.isEmpty { return path }
        let path = "/tmp/rockchip-llama-bench-eos-\(getpid()).log"
        setenv("RKLLM_SIM_EVENT_LOG", path, 1)
        return path
    }

    func run(_ target: BenchTarget) throws -> EOSFigures {
        BenchProgress.say("eos: \(runs) echo answers with the simulator's wrong-EOS fault")
        let all = lines()
        let before = all.count
        var stopped = 0
        for index in 0..<runs {
            let body: JSONValue = [
                "model": .string(target.model), "max_tokens": .int(Self.maxTokens),
                "messages": [
                    [
                        "role": "user",
                        "content": .string("Answer \(index). [[echo]]Answer \(index) ends here.[[/echo]]"),
                    ]
                ],
            ]
            let reply = try target.client.post("/v1/chat/completions", json: body.serialized())
            guard reply.status == 200 else {
                throw BenchHTTPClient.Failure(description: "eos: HTTP \(reply.status): \(reply.body.prefix(300))")
            }
            if reply.body.contains(#""finish_reason":"stop""#) { stopped += 1 }
        }
        let log = lines().dropFirst(before)
        let after = log.filter { $0.hasPrefix("tokens ") && $0.contains(" eos=1 ") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("after_eos=") }.flatMap { Int($0.dropFirst(10)) }
        }
        let runtime =
            (log.first { $0.hasPrefix("init ok") } ?? all.last { $0.hasPrefix("init ok") }).flatMap { line in
                line.split(separator: " ").first { $0.hasPrefix("abi=") }.map { "simulator layout \($0.dropFirst(4))" }
            } ?? "simulator"
        return EOSFigures(
            runtime: runtime, requests: runs, stopped: stopped, tokensAfterEOS: after, maxTokens: Self.maxTokens)
    }

    private func lines() -> [Substring] {
        guard let data = FileManager.default.contents(atPath: eventLog) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }
}

import BenchReporting
import OrderedJSON

/// The prompt cache: the time to first token of a question after the long system prompt, cold, warm, after
/// another conversation, after a client pressed Stop, and from the original design's named cache.
struct BenchCache {
    let runs: Int

    /// The scenarios' median times to first token on one server, in milliseconds, by scenario key; a note
    /// per key for one that could not run.
    struct Outcome {
        var millis: [String: Double] = [:]
        var notes: [String: String] = [:]
    }

    static let scenarios = [
        ("cold", "cold: a system prompt not seen before"),
        ("warm", "warm: same system prompt, new question"),
        ("after-other", "after another conversation in between"),
        ("after-stop", "after a client pressed Stop on a stream"),
        ("named", "named cache (POST /v1/cache + use_cache)"),
    ]

    /// The rows of both servers.
    static func rows(ours: Outcome?, peer: Outcome?) -> [CacheRow] {
        scenarios.map { key, label in
            let note = [ours?.notes[key].map { "ours: \($0)" }, peer?.notes[key].map { "peer: \($0)" }]
                .compactMap { $0 }.joined(separator: "; ")
            return CacheRow(
                scenario: key, label: label, oursMillis: ours?.millis[key], peerMillis: peer?.millis[key],
                note: note.isEmpty ? nil : note)
        }
    }

    /// Every scenario `runs` times on `target`, each run with a system prompt of its own.
    func run(_ target: BenchTarget) throws -> Outcome {
        let chat = BenchChat(target: target)
        var samples: [String: [Double]] = [:]
        var outcome = Outcome()
        for run in 0..<runs {
            BenchProgress.say("cache: \(target.label), run \(run + 1)/\(runs)")
            let system = BenchPrompts.systemPrompt(tag: "\(target.label) \(run) \(UInt32.random(in: .min ... .max))")
            let other = BenchPrompts.systemPrompt(
                tag: "other \(target.label) \(run) \(UInt32.random(in: .min ... .max))")
            let questions = BenchPrompts.questions
            func ask(_ key: String?, _ prompt: String, _ question: String) throws {
                let result = try chat.answer([("system", prompt), ("user", question)], maxTokens: 8)
                if let key { samples[key, default: []].append(result.ttftSeconds * 1000) }
            }
            try ask("cold", system, questions[0])
            try ask("warm", system, questions[1])
            try ask(nil, other, questions[2])
            try ask("after-other", system, questions[3])
            _ = try chat.answer([("system", system), ("user", questions[4])], maxTokens: 64, hangUpAfter: 3)
            try ask("after-stop", system, questions[5])
            if target.isOurs {
                if let note = try named(target, system: system, other: other, run: run, into: &samples) {
                    outcome.notes["named"] = note
                }
            } else {
                outcome.notes["named"] = "no named cache"
            }
        }
        for (key, values) in samples { outcome.millis[key] = BenchStatistics.median(values) }
        return outcome
    }

    /// The named cache: created from the system prompt, then a question after another conversation starts from
    /// it. A note instead when the server does not have the route.
    private func named(
        _ target: BenchTarget, system: String, other: String, run: Int, into samples: inout [String: [Double]]
    ) throws -> String? {
        let name = "bench-\(run)-\(UInt32.random(in: .min ... .max))"
        let body: JSONValue = ["cache_name": .string(name), "prompt": .string(system)]
        let created = try target.client.post("/v1/cache/\(target.model)", json: body.serialized())
        guard created.status == 200 || created.status == 201 else {
            return created.status == 404
                ? "skipped: POST /v1/cache answered 404 (not built yet)"
                : "skipped: POST /v1/cache answered \(created.status)"
        }
        defer { _ = try? target.client.send(method: "DELETE", "/v1/cache/\(target.model)/\(name)") }
        let chat = BenchChat(target: target)
        _ = try chat.answer([("system", other), ("user", BenchPrompts.questions[6])], maxTokens: 8)
        let result = try chat.answer(
            [("system", system), ("user", BenchPrompts.questions[7])], maxTokens: 8,
            extra: [JSONMember("use_cache", .string(name))])
        samples["named", default: []].append(result.ttftSeconds * 1000)
        return nil
    }
}

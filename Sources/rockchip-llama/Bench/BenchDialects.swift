import BenchReporting

/// Our server's three dialects on one model: a streamed fresh prompt (time to first token, decode) and a
/// question after a system prompt the server has seen (time to first token, cached tokens reported), through
/// `/v1/chat/completions`, `/v1/responses` and `/v1/messages`. The dialects take turns request by request, so
/// that drift hits all three alike; each request has a prompt of its own, so no dialect profits from another's.
struct BenchDialects {
    let runs: Int
    let tokens: Int

    private func dialectIndex(_ dialect: BenchDialectStream.Dialect) -> Int {
        BenchDialectStream.Dialect.allCases.firstIndex(of: dialect) ?? 0
    }

    func run(_ target: BenchTarget) throws -> [DialectFigures] {
        typealias Dialect = BenchDialectStream.Dialect
        var ttft: [Dialect: [Double]] = [:]
        var decode: [Dialect: [Double]] = [:]
        var cachedTTFT: [Dialect: [Double]] = [:]
        var cachedTokens: [Dialect: [Double]] = [:]
        // One unmeasured request per dialect first: the model loads and every route's code runs once.
        for dialect in Dialect.allCases {
            _ = try BenchDialectStream(target: target, dialect: dialect)
                .answer(system: "You are terse.", question: Bench.prompt("warm-up \(dialect)"), maxTokens: 4)
        }
        for round in 0..<runs {
            BenchProgress.say("dialects: round \(round + 1)/\(runs)")
            for dialect in Dialect.allCases {
                let stream = BenchDialectStream(target: target, dialect: dialect)
                // Tags of one length: the dialects' prompts take the same tokens to prefill.
                let tag = "\(dialectIndex(dialect))-\(round)-\(UInt32.random(in: 1_000_000_000...4_000_000_000))"
                let fresh = try stream.answer(
                    system: "You are terse.", question: "Session \(tag). Count from 1 to 100, separated by commas.",
                    maxTokens: tokens)
                ttft[dialect, default: []].append(fresh.ttftSeconds * 1000)
                decode[dialect, default: []].append(fresh.decodeTokensPerSecond)
                let system = BenchPrompts.systemPrompt(tag: tag)
                _ = try stream.answer(system: system, question: BenchPrompts.questions[0], maxTokens: 4)
                let cached = try stream.answer(system: system, question: BenchPrompts.questions[1], maxTokens: 4)
                cachedTTFT[dialect, default: []].append(cached.ttftSeconds * 1000)
                cachedTokens[dialect, default: []].append(Double(cached.cachedTokens ?? 0))
            }
        }
        return Dialect.allCases.map { dialect in
            DialectFigures(
                dialect: dialect.rawValue, route: "POST \(dialect.path)",
                ttftMillis: BenchStatistics.median(ttft[dialect] ?? []),
                decodeTokensPerSecond: BenchStatistics.median(decode[dialect] ?? []),
                cachedTTFTMillis: BenchStatistics.median(cachedTTFT[dialect] ?? []),
                cachedTokens: BenchStatistics.median(cachedTokens[dialect] ?? []), runs: runs)
        }
    }
}

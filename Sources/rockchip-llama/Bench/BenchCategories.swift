import BenchReporting

/// The original design's prompt categories on one server: every prompt `runs` times, each run's prompt made
/// unique so that no cache skips its prefill.
struct BenchCategories {
    let runs: Int
    let performanceTokens: Int
    let qualityTokens: Int

    /// Both categories on `target`; `memory` reads its resident bytes after each.
    func run(_ target: BenchTarget, memory: () -> UInt64?) throws -> [CategoryFigures] {
        let chat = BenchChat(target: target)
        var figures: [CategoryFigures] = []
        for (category, prompts, tokens) in [
            ("performance", BenchPrompts.performance, performanceTokens),
            ("quality", BenchPrompts.quality, qualityTokens),
        ] {
            var results: [BenchChat.Result] = []
            for run in 0..<runs {
                for (index, prompt) in prompts.enumerated() {
                    BenchProgress.say("categories: \(target.label), \(category) \(index + 1)/\(prompts.count)")
                    let text = "(\(target.label) run \(run + 1)) " + prompt
                    results.append(try chat.answer([("user", text)], maxTokens: tokens))
                }
            }
            figures.append(
                CategoryFigures(
                    target: target.label, category: category, requests: results.count, maxTokens: tokens,
                    ttftMillis: BenchSummary(results.map { $0.ttftSeconds * 1000 }),
                    decodeTokensPerSecond: BenchSummary(results.map(\.decodeTokensPerSecond)),
                    inputTokensPerSecond: BenchSummary(results.map(\.inputTokensPerSecond)),
                    outputTokens: BenchSummary(results.map { Double($0.tokens) }), residentBytes: memory()))
        }
        return figures
    }
}

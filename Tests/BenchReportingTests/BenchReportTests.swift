import BenchReporting
import FoundationEssentials
import Testing

/// Fixed figures, as a run might produce them; the reports are rendered from these.
func sampleFigures() -> BenchFigures {
    var figures = BenchFigures(
        setup: BenchSetup(
            machine: "Test CPU, Linux 6.1 x86_64", cores: 2, model: "tiny.gguf", threads: 2, contextLength: 4096,
            serverArguments: ["--threads", "2"], peer: "llama-server -m tiny.gguf -t 2 -np 4 -c 16384",
            date: "2026-12-02T03:00:00Z", sections: ["categories", "sweep", "cache", "sharing", "runaway"],
            settings: ["sweep levels": "1,2,4"]))
    figures.categories = [
        CategoryFigures(
            target: "ours", category: "performance", requests: 5, maxTokens: 64, ttftMillis: BenchSummary([100, 200]),
            decodeTokensPerSecond: BenchSummary([60, 62]), inputTokensPerSecond: BenchSummary([300, 320]),
            outputTokens: BenchSummary([64, 64]), residentBytes: 150 * 1_048_576)
    ]
    figures.sweep = [
        SweepPoint(
            clients: 1,
            ours: LoadFigures(
                requests: 2, refused: 0, aggregateTokensPerSecond: 60, ttftP50Millis: 90, ttftP99Millis: 95),
            peer: LoadFigures(
                requests: 2, refused: 0, aggregateTokensPerSecond: 61, ttftP50Millis: 88, ttftP99Millis: 99)),
        SweepPoint(
            clients: 4,
            ours: LoadFigures(
                requests: 8, refused: 1, aggregateTokensPerSecond: 120, ttftP50Millis: 300, ttftP99Millis: 900),
            peer: LoadFigures(
                requests: 8, refused: 0, aggregateTokensPerSecond: 100, ttftP50Millis: 250, ttftP99Millis: 400)),
    ]
    figures.cache = [
        CacheRow(scenario: "cold", label: "cold", oursMillis: 1000, peerMillis: 1100),
        CacheRow(scenario: "warm", label: "warm", oursMillis: 80, peerMillis: 100),
        CacheRow(scenario: "named", label: "named cache", oursMillis: nil, peerMillis: nil, note: "skipped: 404"),
    ]
    figures.sharing = [SharingFigures(target: "ours", idleTokensPerSecond: 60, busyTokensPerSecond: 30)]
    figures.runaway = [
        RunawayFigures(
            target: "ours", longMaxTokens: 2000, longTokensBefore: 40, idleTTFTMillis: 50, duringTTFTMillis: 75)
    ]
    figures.dialects = [
        DialectFigures(
            dialect: "chat", route: "POST /v1/chat/completions", ttftMillis: 40, decodeTokensPerSecond: 80,
            cachedTTFTMillis: 20, cachedTokens: 300, runs: 8),
        DialectFigures(
            dialect: "messages", route: "POST /v1/messages", ttftMillis: 40.5, decodeTokensPerSecond: 79.6,
            cachedTTFTMillis: 22, cachedTokens: 300, runs: 8),
    ]
    figures.notes = ["`--parallel 4` was not passed."]
    return figures
}

@Suite("Bench reports")
struct BenchReportTests {
    @Test("the Markdown report has a table per section with the figures, speed-ups and how they were measured")
    func markdown() {
        let text = BenchMarkdownReport.render(sampleFigures())
        #expect(text.contains("# rockchip-llama bench: tiny.gguf"))
        #expect(text.contains("| ours | performance (5 requests, ≤ 64 tokens) | TTFT (ms) | 150 | 150 | 100 | 200 |"))
        #expect(text.contains("| memory | 150.0 MB |"))
        #expect(text.contains("| 4 | 120.0 (2.00x), 1 refused | 300 ms | 900 ms | 100.0 | 250 ms | 400 ms | 1.20 |"))
        #expect(text.contains("| warm | 80 ms | 12.5x | 100 ms | 11.0x |  |"))
        #expect(text.contains("| named cache | – | – | – | – | skipped: 404 |"))
        #expect(text.contains("| ours | 60.0 | 30.0 | 0.50 |"))
        #expect(text.contains("| ours | 50 ms | 75 ms | 1.50 | 40 of ≤ 2000 |"))
        #expect(
            text.contains(
                "| POST /v1/messages | 40.5 ms | +0.5 ms | 79.6 | 0.995 | 22.0 ms | 1.100 | 300 |"))
        #expect(text.contains("- `--parallel 4` was not passed."))
        #expect(text.contains("- Peer: `llama-server -m tiny.gguf -t 2 -np 4 -c 16384`."))
        #expect(text.contains("- sweep levels: 1,2,4"))
    }

    @Test("a report without a peer has no peer columns")
    func markdownWithoutPeer() {
        var figures = sampleFigures()
        figures.setup.peer = nil
        let text = BenchMarkdownReport.render(figures)
        #expect(text.contains("| clients | ours tok/s | ours TTFT p50 | ours TTFT p99 |\n"))
        #expect(!text.contains("peer tok/s"))
    }

    @Test("the JSON report holds every figure and reads back the same")
    func json() throws {
        let figures = sampleFigures()
        let text = try BenchJSONReport.render(figures)
        #expect(text.contains(#""aggregateTokensPerSecond" : 120"#))
        #expect(text.contains(#""machine" : "Test CPU, Linux 6.1 x86_64""#))
        #expect(try BenchJSONReport.parse(text) == figures)
    }
}

@Suite struct EmbeddingFiguresReportTests {
    @Test func theEmbeddingsRowShowsBothRatesAndTheirRatio() {
        var figures = sampleFigures()
        figures.embeddings = EmbeddingFigures(
            batch: 8, rounds: 10, promptTokens: 336, engineInputsPerSecond: 15, httpInputsPerSecond: 14.4)
        let markdown = BenchMarkdownReport.render(figures)
        #expect(markdown.contains("## Embeddings"))
        #expect(markdown.contains("| 8 | 336 | 15.00 | 14.40 | 0.960 | 10 |"))
        #expect(!BenchMarkdownReport.render(sampleFigures()).contains("## Embeddings"))
    }
}

import BenchReporting
import Testing

@Suite("The images section in the reports")
struct ImageFiguresReportTests {
    private let figures: BenchFigures = {
        var figures = BenchFigures(
            setup: BenchSetup(
                machine: "test", cores: 2, model: "none.gguf", threads: 2, contextLength: 4096, serverArguments: [],
                peer: nil, date: "2026-12-02T00:00:00Z", sections: ["images"], settings: [:]))
        figures.images = [
            ImageFigures(
                format: "JPEG", file: "bench-1024x768.jpg", fileBytes: 164_347, imageSize: "1024x768",
                targetSize: "392x392", rounds: 50, decodeMedianMillis: 9.5, medianMillis: 12.25, p90Millis: 13.5,
                cpuMedianMillis: 12)
        ]
        return figures
    }()

    @Test("the Markdown report has a row with the JPEG's median, p90 and CPU time")
    func markdown() {
        let text = BenchMarkdownReport.render(figures)
        #expect(text.contains("## Image preprocessing (decode, pad to a square and resize to 392x392, normalise)"))
        #expect(
            text.contains(
                "| JPEG | bench-1024x768.jpg | 160 KB | 1024x768 | 50 | 9.50 ms | 12.25 ms | 13.50 ms | 12.00 ms |"))
    }

    @Test("the JSON report reads back the same figures")
    func json() throws {
        #expect(try BenchJSONReport.parse(try BenchJSONReport.render(figures)) == figures)
    }
}

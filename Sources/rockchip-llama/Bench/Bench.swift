import ArgumentParser
import FoundationEssentials
import InferenceCore
import LlamaEngine

/// `rockchip-llama bench`: measures one model through the engine alone and through the server over HTTP,
/// with the same prompts and the same client-side clock, and prints both and their ratio.
///
/// Engine and HTTP runs alternate, so that a machine that slows down or speeds up during the benchmark
/// affects both sides alike; each run's prompt starts differently, so the prompt cache cannot skip it.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark a GGUF model: the engine alone, then the server over HTTP streaming.")

    @Option(help: "Path of the .gguf model file to measure.")
    var model: String

    @Option(help: "Path of libllama.so. [env: ROCKCHIP_LLAMA_LLAMA_LIB] (default: the server's search)")
    var llamaLib: String?

    @Option(help: "Measured runs of each kind (after one warm-up run of each).")
    var runs: Int = 11

    @Option(help: "Tokens generated per run.")
    var tokens: Int = 128

    @Option(help: "Context length, as the server is started with.")
    var contextLength: Int = 4096

    func run() async throws {
        let library = try LlamaRuntime.locate(
            configured: llamaLib ?? ProcessInfo.processInfo.environment["ROCKCHIP_LLAMA_LLAMA_LIB"])
        let directory = try BenchModelsDirectory(model: model)
        defer { directory.remove() }
        print(
            "rockchip-llama bench: \(directory.descriptor.fileName), \(runs) runs of \(tokens) tokens each way, "
                + "context \(contextLength)")

        let loader = LlamaEngineLoader(options: .init(libraryPath: library, contextLength: contextLength))
        let engine = try await loader.load(directory.descriptor)
        let server = try BenchServer(
            modelsDirectory: directory.path, model: directory.descriptor.id, library: library,
            contextLength: contextLength)
        defer { server.stop() }
        let client = BenchHTTPClient(port: server.port)

        var engineSamples: [BenchSample] = []
        var httpSamples: [BenchSample] = []
        for index in 0...runs {
            let engineSample = try await measureEngine(
                engine, model: directory.descriptor.id, prompt: Self.prompt("E\(index)"))
            let httpSample = try measureHTTP(client, model: directory.descriptor.id, prompt: Self.prompt("H\(index)"))
            if index > 0 {
                engineSamples.append(engineSample)
                httpSamples.append(httpSample)
            }
        }
        let resident = try server.residentBytes()
        let info = engine.info
        await engine.unload()
        let idle = try BenchServer.idleResidentBytes(library: library)

        let engineRuns = BenchMeasurement(samples: engineSamples)
        let httpRuns = BenchMeasurement(samples: httpSamples)
        var report = BenchReport()
        report.add("engine alone", engineRuns)
        report.add("HTTP streaming", httpRuns)
        report.line(
            "decode speed, HTTP / engine",
            Formatting.fixed(httpRuns.decodeTokensPerSecond / engineRuns.decodeTokensPerSecond, 3))
        report.line(
            "time to first token, HTTP - engine",
            Formatting.signed((httpRuns.ttftSeconds - engineRuns.ttftSeconds) * 1000, 2) + " ms")
        report.line(
            "process start to first 200 on /health",
            Formatting.fixed(server.startupSeconds * 1000, 0) + " ms (model load included)")
        report.line("server resident memory (VmRSS)", Formatting.megabytes(resident))
        report.line("  of which model weights (mapped)", Formatting.megabytes(info.weightsBytes))
        report.line("  of which KV cache", Formatting.megabytes(info.kvCacheBytes))
        let overhead = Int64(resident) - Int64(info.weightsBytes) - Int64(info.kvCacheBytes)
        report.line("server memory minus weights and KV cache", Formatting.megabytes(overhead))
        report.line("idle server, no model loaded (VmRSS)", Formatting.megabytes(idle))
        print(report.text, terminator: "")
    }

    /// A prompt of about 170 tokens whose first line differs per run.
    static func prompt(_ tag: String) -> String {
        "Benchmark run \(tag). Continue the sequence for as long as you can without stopping: "
            + (1...40).map(String.init).joined(separator: ", ") + ","
    }

    private func measureEngine(_ engine: any Engine, model: String, prompt: String) async throws -> BenchSample {
        let request = GenerationRequest(
            model: model, input: .text(prompt), maxTokens: tokens, sampling: SamplingOptions(temperature: 0))
        let start = MonotonicClock.now()
        var arrivals: [Double] = []
        var reported = 0.0
        for try await event in engine.generate(request) {
            switch event {
            case .text: arrivals.append(Double(MonotonicClock.since(start)) / 1e9)
            case .done(let summary):
                reported = Double(summary.timings.queueNanos + summary.timings.promptEvalNanos) / 1e9
            }
        }
        return BenchSample(arrivals: arrivals, reportedFirstTokenSeconds: reported)
    }

    private func measureHTTP(_ client: BenchHTTPClient, model: String, prompt: String) throws -> BenchSample {
        let body = #"{"model":"\#(model)","prompt":"\#(prompt)","max_tokens":\#(tokens),"temperature":0,"stream":true}"#
        let reply = try client.post("/v1/completions", json: body)
        guard reply.status == 200 else {
            throw BenchHTTPClient.Failure(description: "HTTP \(reply.status): \(reply.body)")
        }
        var arrivals: [Double] = []
        for (time, text) in reply.arrivals {
            let tokens = text.components(separatedBy: #""finish_reason":null"#).count - 1
            arrivals.append(contentsOf: repeatElement(time, count: tokens))
        }
        let reported = (Self.number("queue_ms", in: reply.body) ?? 0) + (Self.number("prompt_ms", in: reply.body) ?? 0)
        return BenchSample(arrivals: arrivals, reportedFirstTokenSeconds: reported / 1000)
    }

    /// The value of `"key":<number>` in a JSON text (the last occurrence).
    private static func number(_ key: String, in text: String) -> Double? {
        guard let range = text.ranges(of: "\"\(key)\":").last else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" }
        return Double(digits)
    }
}

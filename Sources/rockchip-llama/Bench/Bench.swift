import ArgumentParser
import BenchReporting
import FoundationEssentials
import InferenceCore
import InferenceTypes
import LlamaEngine
import RKLLMEngine

/// `rockchip-llama bench`: measures one model through the engine alone and through the server over HTTP,
/// with the same prompts and the same client-side clock, and prints both and their ratio.
///
/// Engine and HTTP runs alternate, so that a machine that slows down or speeds up during the benchmark
/// affects both sides alike; each run's prompt starts differently, so the prompt cache cannot skip it.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmark a .gguf or .rkllm model: the engine alone, then the server over HTTP streaming.")

    @Option(help: "Path of the model file to measure (.gguf or .rkllm).")
    var model: String

    @Option(help: "Path of libllama.so. [env: ROCKCHIP_LLAMA_LLAMA_LIB] (default: the server's search)")
    var llamaLib: String?

    @Option(help: "Path of librkllmrt.so, for .rkllm models. [env: ROCKCHIP_LLAMA_RKLLM_LIB]")
    var rkllmLib: String?

    @Option(help: "Measured runs of each kind (after one warm-up run of each).")
    var runs: Int = 11

    @Option(help: "Tokens generated per run.")
    var tokens: Int = 128

    @Option(help: "Tokens per request in the concurrent-load runs (1, 4 and 16 streams at once).")
    var loadTokens: Int = 32

    @Option(help: "Context length of .gguf models, as the server is started with.")
    var contextLength: Int = 4096

    @Option(
        help: """
            Sections to run, comma-separated: basics (engine against HTTP, as before), categories, sweep, cache, \
            sharing, runaway, dialects (our /v1/responses and /v1/messages against our chat), images (decode and \
            prepare --image-file and its PNG for a vision encoder; needs no model loaded), embeddings (the \
            engine's embeddings against /v1/embeddings; embedding models only), eos (the #534 workaround, RKLLM \
            simulator only, switches its fault on; only when named). (default: all but eos)
            """)
    var only: String?

    @Option(help: "llama-server to start as the peer, on the same model file, threads and per-slot context, -np 4.")
    var peer: String?

    @Option(help: "Run the same load against another OpenAI-compatible server too (http://host:port).")
    var against: String?

    @Option(help: "Model name for --against. (default: the first id of its /v1/models)")
    var againstModel: String?

    @Option(help: "Write every figure as JSON to this file.")
    var json: String?

    @Option(help: "Write the report as Markdown to this file.")
    var markdown: String?

    @Option(help: "Write an SVG chart of the sweep to this file.")
    var chart: String?

    @Option(help: "Concurrency levels of the sweep, comma-separated.")
    var sweep = "1,2,4,8,16"

    @Option(help: "Requests each sweep client sends one after the other.")
    var sweepRounds = 2

    @Option(help: "max_tokens of each sweep request.")
    var sweepTokens = 64

    @Option(help: "Runs of every category prompt.")
    var categoryRuns = 1

    @Option(help: "max_tokens of the short performance prompts.")
    var performanceTokens = 64

    @Option(help: "max_tokens of the longer quality prompts.")
    var qualityTokens = 192

    @Option(help: "Runs of the prompt-cache scenarios (each with a system prompt of its own).")
    var cacheRuns = 3

    @Option(help: "Runs idle and with a busy core, each.")
    var sharingRuns = 3

    @Option(help: "max_tokens of the sharing runs.")
    var sharingTokens = 128

    @Option(help: "max_tokens of the runaway answer.")
    var runawayTokens = 2000

    @Option(help: "Short requests measured alone and beside the runaway answer, each.")
    var runawayRuns = 3

    @Option(help: "Requests of the eos section (RKLLM simulator only).")
    var eosRuns = 10

    @Option(help: "Rounds of the dialects section (each a fresh and a cached request per dialect).")
    var dialectRuns = 12

    @Option(help: "Measured rounds of the embeddings section, each way (each one batch of --embedding-batch inputs).")
    var embeddingRounds = 10
    @Option(help: "Inputs per request in the embeddings section.")
    var embeddingBatch = 8
    @Option(help: "max_tokens of the dialects section's fresh prompts.")
    var dialectTokens = 64

    @Option(help: "The JPEG the images section prepares; the PNG of the same name beside it is measured too.")
    var imageFile = "Tests/ImageCodecTests/Fixtures/bench-1024x768.jpg"

    @Option(help: "Rounds of the images section, per file.")
    var imageRounds = 50

    @Option(
        help: "CPU threads for our server (--threads) and the peer (-t). (default: what the server's 0 chooses here)")
    var threads: Int?

    @Option(help: "Slots of our server (--parallel), passed when the server has the option.")
    var parallel: Int?

    @Option(help: "Prompt-cache memory of our server in MiB (--cache-ram), passed when the server has the option.")
    var cacheRam: Int?

    @Option(help: "An argument passed to our server as is (repeat for several).")
    var serverArg: [String] = []

    @Flag(help: "Only hold the hostile inputs of the hardening work against servers and time /health under each.")
    var attacks = false

    func run() async throws {
        if !attacks, try BenchSection.parse(only) == [.images] {
            var figures = BenchFigures(setup: setup(sections: [.images]))
            figures.images = try measureImages()
            try writeReports(figures)
            return
        }
        let environment = ProcessInfo.processInfo.environment
        let llamaLibrary = try LlamaRuntime.locate(configured: llamaLib ?? environment["ROCKCHIP_LLAMA_LLAMA_LIB"])
        let directory = try BenchModelsDirectory(model: model)
        defer { directory.remove() }
        let descriptor = directory.descriptor
        var serverArguments = ["--llama-lib", llamaLibrary, "--context-length", "\(contextLength)"]
        let loader: any EngineLoader
        var rkllmLibrary: String?
        switch descriptor.format {
        case .gguf:
            loader = LlamaEngineLoader(options: .init(libraryPath: llamaLibrary, contextLength: contextLength))
        case .rkllm:
            let library = try RKLLMRuntime.locate(configured: rkllmLib ?? environment["ROCKCHIP_LLAMA_RKLLM_LIB"])
            loader = RKLLMEngineLoader(options: .init(libraryPath: library))
            serverArguments += ["--rkllm-lib", library]
            rkllmLibrary = library
        }
        if attacks {
            print("rockchip-llama bench --attacks: \(descriptor.fileName), /health probed under each attack")
            var report = BenchReport()
            report.attacks(try BenchAttacks(modelPath: descriptor.path, serverArguments: serverArguments).run())
            print(report.text, terminator: "")
            return
        }
        let sections = try BenchSection.parse(only)
        var figures = BenchFigures(setup: setup(sections: sections))
        if sections.contains(.basics) {
            let text = try await basics(
                descriptor: descriptor, directory: directory, loader: loader, serverArguments: serverArguments,
                rkllmLibrary: rkllmLibrary, environment: environment)
            print("rockchip-llama bench: \(descriptor.fileName), \(runs) runs of \(tokens) tokens each way")
            print(text, terminator: "")
            figures.basics = text
        }
        if sections.contains(.embeddings) {
            try await measureEmbeddings(
                descriptor: descriptor, directory: directory, loader: loader, serverArguments: serverArguments,
                into: &figures)
        }
        if !sections.subtracting([.basics, .embeddings]).isEmpty {
            try measureSections(
                sections, descriptor: descriptor, directory: directory, serverArguments: serverArguments,
                into: &figures)
        }
        if sections.contains(.images) { figures.images = try measureImages() }
        try writeReports(figures)
    }
    /// The images section: `--image-file` and, when there is one, the PNG of the same name.
    func measureImages() throws -> [ImageFigures] {
        let png = String(imageFile.dropLast(imageFile.hasSuffix(".jpg") ? 4 : 0)) + ".png"
        let files = [imageFile] + (png != imageFile && FileManager.default.fileExists(atPath: png) ? [png] : [])
        return try BenchImages(rounds: max(1, imageRounds)).run(files: files)
    }

    /// A prompt of about 170 tokens whose first line differs per run.
    static func prompt(_ tag: String) -> String {
        "Benchmark run \(tag). Continue the sequence for as long as you can without stopping: "
            + (1...40).map(String.init).joined(separator: ", ") + ","
    }

    func measureEngine(_ engine: any Engine, model: String, prompt: String) async throws -> BenchSample {
        let request = EngineRequest(input: .text(prompt), maxTokens: tokens, sampling: SamplingOptions(temperature: 0))
        let start = MonotonicClock.now()
        var arrivals: [Double] = []
        var sample = BenchSample(arrivals: [])
        for try await event in engine.generate(request) {
            switch event {
            case .text: arrivals.append(Double(MonotonicClock.since(start)) / 1e9)
            case .logprobs: break
            case .done(let summary):
                sample.reportedFirstTokenSeconds =
                    Double(summary.timings.queueNanos + summary.timings.promptEvalNanos) / 1e9
                sample.promptTokens = summary.usage.promptTokens
            }
        }
        sample.arrivals = arrivals
        return sample
    }

    func measureHTTP(_ client: BenchHTTPClient, model: String, prompt: String) throws -> BenchSample {
        let body = #"{"model":"\#(model)","prompt":"\#(prompt)","max_tokens":\#(tokens),"temperature":0,"stream":true}"#
        let reply = try client.post("/v1/completions", json: body)
        guard reply.status == 200 else {
            throw BenchHTTPClient.Failure(description: "HTTP \(reply.status): \(reply.body)")
        }
        var sample = BenchSample(arrivals: [])
        for (time, text) in reply.arrivals {
            let tokens = text.components(separatedBy: #""finish_reason":null"#).count - 1
            sample.arrivals.append(contentsOf: repeatElement(time, count: tokens))
        }
        let reported = (Self.number("queue_ms", in: reply.body) ?? 0) + (Self.number("prompt_ms", in: reply.body) ?? 0)
        sample.reportedFirstTokenSeconds = reported / 1000
        sample.promptTokens = Int(Self.number("prompt_n", in: reply.body) ?? 0)
        return sample
    }

    /// The value of `"key":<number>` in a JSON text (the last occurrence).
    private static func number(_ key: String, in text: String) -> Double? {
        guard let range = text.ranges(of: "\"\(key)\":").last else { return nil }
        let digits = text[range.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" }
        return Double(digits)
    }
}

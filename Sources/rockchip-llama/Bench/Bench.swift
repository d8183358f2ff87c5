import ArgumentParser
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

    @Flag(help: "Only hold the hostile inputs of the hardening work against servers and time /health under each.")
    var attacks = false

    func run() async throws {
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
        print("rockchip-llama bench: \(descriptor.fileName), \(runs) runs of \(tokens) tokens each way")

        let engine = try await loader.load(descriptor)
        let server = try BenchServer(
            modelsDirectory: directory.path, model: descriptor.id, arguments: serverArguments)
        defer { server.stop() }
        let inProcessServer = try BenchServer(
            modelsDirectory: directory.path, model: descriptor.id, arguments: serverArguments + ["--isolation", "none"])
        defer { inProcessServer.stop() }
        let client = server.client
        let inProcessClient = inProcessServer.client

        var engineSamples: [BenchSample] = []
        var httpSamples: [BenchSample] = []
        var inProcessSamples: [BenchSample] = []
        for index in 0...runs {
            let engineSample = try await measureEngine(engine, model: descriptor.id, prompt: Self.prompt("E\(index)"))
            let httpSample = try measureHTTP(client, model: descriptor.id, prompt: Self.prompt("H\(index)"))
            let inProcessSample = try measureHTTP(
                inProcessClient, model: descriptor.id, prompt: Self.prompt("N\(index)"))
            if index > 0 {
                engineSamples.append(engineSample)
                httpSamples.append(httpSample)
                inProcessSamples.append(inProcessSample)
            }
        }
        let resident = try server.residentBytes()
        let runnerPID = try server.runnerPID()
        let runnerResident = try runnerPID.map { try BenchServer.residentBytes(of: $0) } ?? 0
        let runnerPrivate = try runnerPID.map { try BenchServer.privateBytes(of: $0) } ?? 0
        let inProcessResident = try inProcessServer.residentBytes()
        inProcessServer.stop()
        let load = BenchLoad(client: client, model: descriptor.id, tokens: loadTokens)
        let loadResults = try [1, 4, 16].map { try load.run(concurrency: $0, rounds: $0 == 1 ? 4 : 2) }
        let ollama = BenchOllama(client: client, model: descriptor.id, tokens: tokens)
        let rates = try ollama.reportedOverMeasuredRate(runs: max(3, runs / 2))
        let tags = try ollama.tagsLatency(directory: directory.path, modelPath: descriptor.path, count: 50)
        let info = engine.info
        let renderMicros = try BenchTemplates.renderMicros(info: info)
        let constrained =
            descriptor.format == .gguf
            ? try await BenchTemplates.constrainedRates(
                engine: engine, model: descriptor.id, tokens: tokens, runs: max(3, runs / 2)) : nil
        await engine.unload()
        let idle = try BenchServer.idleResidentBytes(arguments: serverArguments)

        var report = BenchReport()
        report.compare(engine: BenchMeasurement(samples: engineSamples), http: BenchMeasurement(samples: httpSamples))
        report.isolation(
            runner: BenchMeasurement(samples: httpSamples), inProcess: BenchMeasurement(samples: inProcessSamples))
        if let rkllmLibrary, rkllmLibrary.contains("rkllm-sim") {
            report.compareWithSimulator(http: BenchMeasurement(samples: httpSamples), environment: environment)
        }
        report.ollama(rates: rates, tags: tags)
        report.load(loadResults, tokens: loadTokens)
        report.core(renderMicros: renderMicros, constrained: constrained)
        report.memory(
            startupSeconds: server.startupSeconds, server: resident, runner: runnerResident,
            runnerPrivate: runnerPrivate, inProcess: inProcessResident, weights: info.weightsBytes,
            kvCache: info.kvCacheBytes, idle: idle)
        print(report.text, terminator: "")
    }

    /// A prompt of about 170 tokens whose first line differs per run.
    static func prompt(_ tag: String) -> String {
        "Benchmark run \(tag). Continue the sequence for as long as you can without stopping: "
            + (1...40).map(String.init).joined(separator: ", ") + ","
    }

    private func measureEngine(_ engine: any Engine, model: String, prompt: String) async throws -> BenchSample {
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

    private func measureHTTP(_ client: BenchHTTPClient, model: String, prompt: String) throws -> BenchSample {
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

import BenchReporting
import FoundationEssentials
import InferenceCore
import InferenceTypes

extension Bench {
    /// The `basics` section, what the bench measured before the sections: the engine alone against the server
    /// over HTTP, a runner process against the engine inside, `/api`, concurrent load on `/v1/completions`, the
    /// core's own costs and memory. Returns the printed report.
    func basics(
        descriptor: ModelDescriptor, directory: BenchModelsDirectory, loader: any EngineLoader,
        serverArguments: [String], rkllmLibrary: String?, environment: [String: String]
    ) async throws -> String {
        BenchProgress.say("basics: \(descriptor.fileName), \(runs) runs of \(tokens) tokens each way")
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
        return report.text
    }
}

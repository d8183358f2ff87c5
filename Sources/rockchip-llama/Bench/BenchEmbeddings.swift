import BenchReporting
import EngineSupport
import InferenceTypes

/// The embeddings section: one batch of inputs through `Engine.embed` in the bench's process, then the same
/// batch through `POST /v1/embeddings` of our server on the same model file, rounds taking turns so that drift
/// hits both sides alike. The rate is inputs per second of a whole batch, from the bench's own clock.
struct BenchEmbeddings {
    let rounds: Int
    let batch: Int

    /// The inputs of one batch: sentences of one length (about 50 tokens), each different.
    var inputs: [String] {
        (0..<batch).map { index in
            "Input \(index) of the embeddings benchmark: a short paragraph about the weather, "
                + "the harbour, the ships that come in at dawn and the gulls that follow them home."
        }
    }

    func run(engine: any Engine, client: BenchHTTPClient, model: String) async throws -> EmbeddingFigures {
        let inputs = self.inputs
        let body =
            #"{"model":"\#(model)","input":["# + inputs.map { "\"\($0)\"" }.joined(separator: ",")
            + #"],"encoding_format":"float"}"#
        var engineRates: [Double] = []
        var httpRates: [Double] = []
        var promptTokens = 0
        // Round 0 warms both sides up (the server loads the model) and is not counted.
        for round in 0...rounds {
            BenchProgress.say("embeddings: round \(round)/\(rounds)")
            let engineStart = MonotonicClock.now()
            let result = try await engine.embed(inputs, truncate: false)
            let engineSeconds = Double(MonotonicClock.since(engineStart)) / 1e9
            let httpStart = MonotonicClock.now()
            let reply = try client.post("/v1/embeddings", json: body)
            let httpSeconds = Double(MonotonicClock.since(httpStart)) / 1e9
            guard reply.status == 200 else {
                throw BenchHTTPClient.Failure(description: "/v1/embeddings: HTTP \(reply.status): \(reply.body)")
            }
            guard round > 0 else { continue }
            promptTokens = result.promptTokens
            engineRates.append(Double(batch) / engineSeconds)
            httpRates.append(Double(batch) / httpSeconds)
        }
        return EmbeddingFigures(
            batch: batch, rounds: rounds, promptTokens: promptTokens,
            engineInputsPerSecond: BenchStatistics.median(engineRates),
            httpInputsPerSecond: BenchStatistics.median(httpRates))
    }
}

extension Bench {
    /// The embeddings section on an embedding model (one whose engine reports `ModelInfo.embedding`); a note
    /// instead for any other model.
    func measureEmbeddings(
        descriptor: ModelDescriptor, directory: BenchModelsDirectory, loader: any EngineLoader,
        serverArguments: [String], into figures: inout BenchFigures
    ) async throws {
        let engine = try await loader.load(descriptor)
        guard engine.info.embedding else {
            await engine.unload()
            figures.notes.append("No embeddings section: \(descriptor.fileName) is not an embedding model.")
            return
        }
        let measured: EmbeddingFigures
        do {
            let server = try BenchServer(
                modelsDirectory: directory.path, model: descriptor.id, arguments: serverArguments + serverArg)
            defer { server.stop() }
            measured = try await BenchEmbeddings(rounds: embeddingRounds, batch: embeddingBatch)
                .run(engine: engine, client: server.client, model: descriptor.id)
        } catch {
            await engine.unload()
            throw error
        }
        await engine.unload()
        figures.embeddings = measured
        figures.setup.serverArguments = serverArguments + serverArg
        figures.setup.settings["embeddings"] = "\(embeddingRounds) rounds of \(embeddingBatch) inputs each way"
    }
}

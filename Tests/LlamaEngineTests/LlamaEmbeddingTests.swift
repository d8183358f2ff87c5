import EngineSupport
import InferenceTypes
import LlamaEngine
import TestSupport
import Testing

@testable import LlamaEngine

/// Embeddings of the llama engine on the real libllama.so and the real SmolLM2 model.
@Suite(.serialized) struct LlamaEmbeddingTests {
    static let shared = LlamaEngineTests.Shared()

    private func engine() async throws -> any Engine { try await Self.shared.get() }

    private func cosine(_ a: [Float], _ b: [Float]) -> Float {
        zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private func length(_ vector: [Float]) -> Float {
        vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }

    private func generate(_ request: EngineRequest) async throws -> (text: String, summary: GenerationSummary) {
        var text = ""
        for try await event in try await engine().generate(request) {
            switch event {
            case .text(let piece): text += piece
            case .done(let summary): return (text, summary)
            case .logprobs: break
            }
        }
        throw InferenceError.engineFailure("no summary")
    }

    @Test func vectorsHaveTheModelsWidthAndUnitLength() async throws {
        let result = try await engine().embed(["The sky is blue today."], truncate: false)
        let runtime = try LlamaRuntime.open(path: TestModel.libraryPath)
        let model = try LlamaModel(runtime: runtime, path: TestModel.modelPath, modelName: "width")
        let vector = try #require(result.vectors.first)
        #expect(result.vectors.count == 1)
        #expect(vector.count == model.embeddingLength)
        #expect(vector.count == 576)
        #expect(abs(length(vector) - 1) < 1e-4)
        #expect(vector.contains { $0 != 0 })
        let tokens = try model.tokenize("The sky is blue today.", addSpecial: true, parseSpecial: true).count
        #expect(result.promptTokens == tokens)
        #expect(result.totalNanos > 0)
    }

    @Test func theSameTextGivesTheSameVector() async throws {
        let first = try await engine().embed(["A quiet morning by the lake."], truncate: false).vectors[0]
        let second = try await engine().embed(["A quiet morning by the lake."], truncate: false).vectors[0]
        #expect(zip(first, second).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test func similarSentencesAreCloserThanUnrelatedOnes() async throws {
        let vectors = try await engine().embed(
            [
                "The cat is sleeping on the sofa.", "A cat naps on the couch.",
                "Quarterly tax returns must be filed before the deadline.",
            ], truncate: false
        ).vectors
        let similar = cosine(vectors[0], vectors[1])
        let unrelated = cosine(vectors[0], vectors[2])
        #expect(similar > unrelated, "similar \(similar), unrelated \(unrelated)")
    }

    @Test func aBatchGivesOneVectorPerInputInOrder() async throws {
        let inputs = ["Paris is in France.", "Two plus two is four.", "Bananas are yellow."]
        let batch = try await engine().embed(inputs, truncate: false)
        #expect(batch.vectors.count == 3)
        var tokens = 0
        for (index, input) in inputs.enumerated() {
            let alone = try await engine().embed([input], truncate: false)
            #expect(zip(batch.vectors[index], alone.vectors[0]).allSatisfy { abs($0 - $1) < 1e-5 }, "input \(index)")
            tokens += alone.promptTokens
        }
        #expect(batch.promptTokens == tokens)
        #expect(cosine(batch.vectors[0], batch.vectors[1]) < 0.9999)
    }

    @Test func embeddingBetweenGenerationsDisturbsNeither() async throws {
        let request = EngineRequest(
            input: .chat([ChatMessage(role: .user, content: "Write a sentence about the sea.")]),
            maxTokens: 24, sampling: SamplingOptions(temperature: 0))
        let before = try await generate(request)
        _ = try await engine().embed(["Something else entirely, to fill the embedding context."], truncate: false)
        let after = try await generate(request)
        #expect(!before.text.isEmpty)
        #expect(after.text == before.text)
        // The generation context kept its prompt cache: the embedding ran in a context of its own.
        #expect(after.summary.usage.cachedTokens == after.summary.usage.promptTokens - 1)
    }

    /// The batch loop steps a generation one job at a time, so an embedding asked meanwhile runs between two
    /// steps instead of waiting for the whole answer.
    @Test func anEmbeddingRunsBetweenTheStepsOfAGeneration() async throws {
        let engine = try await engine()
        let events = engine.generate(
            EngineRequest(
                input: .text("1, 2, 3,"), maxTokens: 64, sampling: SamplingOptions(temperature: 0)
            ))
        let embedding = try await engine.embed(["Queued behind the generation."], truncate: false)
        var summary: GenerationSummary?
        for try await event in events {
            if case .done(let done) = event { summary = done }
        }
        let generation = try #require(summary)
        #expect(generation.usage.completionTokens == 64)
        #expect(embedding.totalNanos < generation.timings.promptEvalNanos + generation.timings.evalNanos)
    }

    @Test func anInputLongerThanTheContextIsCutOrRefused() async throws {
        let long = String(repeating: "word ", count: 600)
        let contextLength = try await engine().info.contextLength
        do {
            _ = try await engine().embed([long], truncate: false)
            Issue.record("expected a context overflow")
        } catch InferenceError.contextOverflow(let promptTokens, let contextSize) {
            #expect(promptTokens >= 600)
            #expect(contextSize == contextLength)
        }
        let cut = try await engine().embed([long], truncate: true)
        #expect(cut.promptTokens == contextLength)
        #expect(abs(length(cut.vectors[0]) - 1) < 1e-4)
    }
}

import Foundation
import InferenceCore
import InferenceTypes
import ModelStore
import TestSupport
import Testing

@testable import RKLLMEngine

/// Embeddings (GET_LAST_HIDDEN_LAYER) and rerank (GET_LOGITS) on the simulator, in both runtime layouts.
@Suite(.serialized) struct RKLLMEmbeddingsTests {
    static let embeddingFile = "Qwen3-Embedding-0.6B-w8a8-rk3588.rkllm"
    static let rerankerFile = "Qwen3-Reranker-0.6B-w8a8-rk3588.rkllm"

    private func load(_ layout: String, fileName: String, sidecar: String? = nil) async throws -> any Engine {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory, fileName: fileName, sidecar: sidecar)
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout)))
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        return try await loader.load(descriptor)
    }

    private static func length(_ vector: [Float]) -> Double {
        vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    }

    @Test(arguments: Simulator.layouts)
    func vectorsAreUnitLengthDeterministicAndDifferForDifferentTexts(layout: String) async throws {
        let engine = try await load(layout, fileName: Self.embeddingFile)
        #expect(engine.info.embedding && !engine.info.reranking)
        let texts = ["the quick brown fox", "a slow red hen", "the quick brown fox"]
        let first = try await engine.embed(texts, truncate: false)
        let again = try await engine.embed(texts, truncate: false)
        #expect(first.vectors.count == 3)
        #expect(first.vectors.allSatisfy { $0.count == 1536 && abs(Self.length($0) - 1) < 1e-4 })
        #expect(first.vectors == again.vectors)
        #expect(first.vectors[0] == first.vectors[2])
        #expect(first.vectors[0] != first.vectors[1])
        #expect(first.promptTokens > 0 && first.promptTokens == again.promptTokens)
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func lastTokenPoolingDiffersFromMeanPooling(layout: String) async throws {
        let text = "pooling picks the vector"
        let mean = try await load(layout, fileName: Self.embeddingFile, sidecar: #"{"embedding":{"pooling":"mean"}}"#)
        let meanVector = try await mean.embed([text], truncate: false).vectors[0]
        await mean.unload()
        let last = try await load(layout, fileName: Self.embeddingFile, sidecar: #"{"embedding":{"pooling":"last"}}"#)
        let lastVector = try await last.embed([text], truncate: false).vectors[0]
        await last.unload()
        #expect(abs(Self.length(meanVector) - 1) < 1e-4 && abs(Self.length(lastVector) - 1) < 1e-4)
        #expect(meanVector != lastVector)
    }

    @Test(arguments: Simulator.layouts)
    func anInputLongerThanTheContextIsCutOrRefused(layout: String) async throws {
        let engine = try await load(
            layout, fileName: Self.embeddingFile, sidecar: #"{"context_length":64,"embedding":{"pooling":"mean"}}"#)
        let long = String(repeating: "word ", count: 200)
        let cut = try await engine.embed([long], truncate: true)
        #expect(cut.promptTokens <= 64 && abs(Self.length(cut.vectors[0]) - 1) < 1e-4)
        await #expect {
            try await engine.embed([long], truncate: false)
        } throws: { error in
            guard case .contextOverflow(let tokens, let context) = error as? InferenceError else { return false }
            return tokens > context && context == 64
        }
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func rerankOrdersDocumentsByTheSimulatorsScriptedScores(layout: String) async throws {
        let engine = try await load(layout, fileName: Self.rerankerFile)
        #expect(engine.info.reranking && !engine.info.embedding)
        let documents = ["low [[score=0.12]]", "high [[score=0.83]]", "middle [[score=0.5]]"]
        let result = try await engine.rerank(query: "which one", documents: documents)
        #expect(result.scores.count == 3)
        for (score, want) in zip(result.scores, [0.12, 0.83, 0.5]) { #expect(abs(score - want) < 1e-3) }
        #expect(result.promptTokens > 0)
        // Without a script, the query's words found in the document decide.
        let overlap = try await engine.rerank(
            query: "red fox", documents: ["a blue bird sings", "the red fox runs"])
        #expect(overlap.scores[1] > overlap.scores[0])
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func embeddingModelsAndRerankersRefuseToGenerate(layout: String) async throws {
        for file in [Self.embeddingFile, Self.rerankerFile] {
            let engine = try await load(layout, fileName: file)
            let request = EngineRequest(input: .chat([ChatMessage(role: .user, content: "Hi")]))
            await #expect {
                for try await _ in engine.generate(request) {}
            } throws: { error in
                guard case .invalidRequest(let message) = error as? InferenceError else { return false }
                return message.contains("does not generate text")
            }
            await engine.unload()
        }
    }

    @Test(arguments: Simulator.layouts)
    func aTextModelRefusesEmbedAndRerank(layout: String) async throws {
        let engine = try await load(layout, fileName: "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm")
        #expect(!engine.info.embedding && !engine.info.reranking)
        await #expect(throws: InferenceError.embeddingsUnsupported) { try await engine.embed(["x"], truncate: true) }
        await #expect(throws: InferenceError.rerankUnsupported) {
            try await engine.rerank(query: "q", documents: ["d"])
        }
        await engine.unload()
    }

    @Test func theYesProbabilityIsComputedWithoutOverflow() {
        #expect(abs(RKLLMRerankFormat.score(yes: 0, no: 0) - 0.5) < 1e-12)
        #expect(RKLLMRerankFormat.score(yes: 1000, no: -1000) == 1)
        #expect(RKLLMRerankFormat.score(yes: -1000, no: 1000) == 0)
        #expect(abs(RKLLMRerankFormat.score(yes: Float(log(0.83 / 0.17)), no: 0) - 0.83) < 1e-6)
    }
}

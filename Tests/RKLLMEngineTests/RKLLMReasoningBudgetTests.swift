import Foundation
import InferenceTypes
import ModelStore
import RKLLMEngine
import TestSupport
import Testing

/// A reasoning budget on the RKLLM simulator's Qwen3: the runtime cannot take forced tokens, so the engine
/// stops the run when the budget is spent and continues with a second run whose prompt ends with the closing
/// tag; the client sees one generation.
@Suite(.serialized) struct RKLLMReasoningBudgetTests {
    static let reasoning = "<think>The user asks for the capital of France. I know it well, it is Paris.</think>"
    static let answer = "The capital of France is Paris."

    private func load(_ layout: String) async throws -> any Engine {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory, fileName: "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm")
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout)))
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        return try await loader.load(descriptor)
    }

    private func run(_ engine: any Engine, budget: Int?) async throws -> (String, GenerationSummary) {
        var request = EngineRequest(
            input: .chat([
                ChatMessage(
                    role: .user, content: "Capital of France? [[echo]]\(Self.reasoning)\n\n\(Self.answer)[[/echo]]")
            ]), maxTokens: 200, thinking: true)
        request.reasoningLimit = budget.map {
            ReasoningLimit(budget: $0, start: "<think>", end: "</think>", startsInReasoning: false)
        }
        return try await engine.answer(request)
    }

    @Test(arguments: Simulator.layouts)
    func aSpentBudgetClosesTheReasoningAndTheAnswerFollows(layout: String) async throws {
        let engine = try await load(layout)
        let (free, freeSummary) = try await run(engine, budget: nil)
        #expect(free == Self.reasoning + "\n\n" + Self.answer)

        let runs = Simulator.eventCount()
        let (text, summary) = try await run(engine, budget: 5)
        let parts = text.components(separatedBy: "</think>\n\n")
        #expect(parts.count == 2, "\(text)")
        // "<think>" arrives in the third 3-byte token; five more are the budget.
        #expect(parts[0] == String(Self.reasoning.prefix(9 + 15)), "\(text)")
        #expect(parts.last == Self.answer)
        #expect(summary.finishReason == .stop)
        #expect(summary.usage.completionTokens < freeSummary.usage.completionTokens)
        #expect(summary.usage.completionTokens >= 8 + Self.answer.utf8.count / 3)
        #expect(summary.usage.promptTokens == freeSummary.usage.promptTokens)
        // Two runs for the one generation.
        #expect(Simulator.events(from: runs).filter { $0.hasPrefix("run ") }.count == 2)
        await engine.unload()
    }
}

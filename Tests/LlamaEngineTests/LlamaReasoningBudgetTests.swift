import EngineSupport
import Foundation
import InferenceTypes
import LlamaEngine
import TestSupport
import Testing

/// A reasoning budget on the real SmolLM2: the engine closes the reasoning with the end tag's tokens when the
/// budget is spent, and the model goes on to answer.
@Suite(.serialized) struct LlamaReasoningBudgetTests {
    /// SmolLM2's own turn format with the reasoning block opened for it, as a thinking template does.
    static let prompt =
        "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n"
        + "What is the capital of France? Think step by step.<|im_end|>\n<|im_start|>assistant\n<think>\n"

    private func run(_ budget: Int?) async throws -> (text: String, summary: GenerationSummary) {
        var request = EngineRequest(
            input: .rendered(Self.prompt), maxTokens: 60, sampling: SamplingOptions(temperature: 0))
        request.reasoningLimit = budget.map {
            ReasoningLimit(budget: $0, start: "<think>", end: "</think>", startsInReasoning: true)
        }
        var text = ""
        for try await event in try await LlamaEngineTests.shared.get().generate(request) {
            switch event {
            case .text(let piece): text += piece
            case .done(let summary): return (text, summary)
            case .logprobs: break
            }
        }
        throw InferenceError.engineFailure("no summary")
    }

    @Test("the reasoning ends after the budget with </think>, and the answer follows it")
    func budgetEndsTheReasoning() async throws {
        let (free, _) = try await run(nil)
        // Without a budget SmolLM2 does not close a block it never learnt: the test means something.
        #expect(!free.contains("</think>"), "\(free)")

        let (text, summary) = try await run(8)
        let closed = try #require(text.range(of: "</think>\n\n"), "\(text)")
        let reasoning = String(text[..<closed.lowerBound])
        let answer = text[closed.upperBound...]
        #expect(reasoning == String(free.prefix(reasoning.count)), "the reasoning is the model's own: \(text)")
        #expect(reasoning.count < free.count / 2, "\(text)")
        #expect(!answer.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "no answer after: \(text)")
        #expect(summary.usage.completionTokens > 8 + 3)
    }
}

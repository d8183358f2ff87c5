import EngineSupport
import Foundation
import InferenceTypes
import LlamaEngine
import TestSupport
import Testing

@testable import LlamaEngine

/// Log-probabilities on the real libllama.so and SmolLM2.
@Suite(.serialized) struct LlamaLogprobsTests {
    private func run(_ request: EngineRequest) async throws -> (
        events: [EngineEvent], summary: GenerationSummary
    ) {
        var events: [EngineEvent] = []
        for try await event in try await LlamaEngineTests.shared.get().generate(request) {
            if case .done(let summary) = event { return (events, summary) }
            events.append(event)
        }
        throw InferenceError.engineFailure("no summary")
    }

    private func counting(logprobs: Int?, temperature: Double = 0, seed: UInt32? = nil) -> EngineRequest {
        var request = EngineRequest(
            input: .text("The days of the week are Monday, Tuesday,"), maxTokens: 12,
            sampling: SamplingOptions(temperature: temperature, seed: seed))
        request.logprobs = logprobs
        return request
    }

    private static func entries(_ events: [EngineEvent]) -> [[TokenLogprob]] {
        events.compactMap { if case .logprobs(let entries) = $0 { entries } else { nil } }
    }

    @Test("every generated token gets one entry: a log-probability, and the top alternatives most likely first")
    func oneEntryPerToken() async throws {
        let (events, summary) = try await run(counting(logprobs: 5))
        let entries = Self.entries(events).flatMap { $0 }
        #expect(summary.usage.completionTokens == 12)
        #expect(entries.count == summary.usage.completionTokens)
        for entry in entries {
            #expect(entry.sampled.logprob <= 0 && entry.sampled.logprob.isFinite)
            #expect(entry.top.count == 5)
            #expect(zip(entry.top, entry.top.dropFirst()).allSatisfy { $0.logprob >= $1.logprob })
            #expect(entry.top.reduce(0) { $0 + exp($1.logprob) } <= 1 + 1e-9)
            // Greedy decoding takes the most likely token.
            #expect(entry.top.first?.bytes == entry.sampled.bytes)
            #expect(entry.top.first?.logprob == entry.sampled.logprob)
        }
        // The sampled tokens spell the answer.
        let text = events.compactMap { if case .text(let piece) = $0 { piece } else { nil } }.joined()
        #expect(String(decoding: entries.flatMap(\.sampled.bytes), as: UTF8.self) == text)
    }

    @Test("an entry comes before the text of its token")
    func entriesPrecedeTheirText() async throws {
        let (events, _) = try await run(counting(logprobs: 1))
        guard case .logprobs = events.first else {
            Issue.record("the stream starts with \(String(describing: events.first))")
            return
        }
        var pending = 0
        for event in events {
            switch event {
            case .logprobs(let entries): pending += entries.count
            case .text: #expect(pending > 0, "text arrived without the entry of its token")
            default: break
            }
        }
    }

    @Test("a sampled token that is not the most likely one keeps its own, lower log-probability")
    func sampledAtTemperature() async throws {
        var sawLessLikely = false
        for seed: UInt32 in [1, 2, 3] {
            let (events, _) = try await run(counting(logprobs: 3, temperature: 1.5, seed: seed))
            for entry in Self.entries(events).flatMap({ $0 }) {
                let best = try #require(entry.top.first)
                #expect(entry.sampled.logprob <= best.logprob)
                if entry.sampled.bytes != best.bytes { sawLessLikely = true }
            }
        }
        #expect(sawLessLikely)
    }

    @Test("logprobs 0 reports the sampled token alone; no logprobs reports nothing")
    func zeroAndNone() async throws {
        let (withZero, summary) = try await run(counting(logprobs: 0))
        let entries = Self.entries(withZero).flatMap { $0 }
        #expect(entries.count == summary.usage.completionTokens)
        #expect(entries.allSatisfy { $0.top.isEmpty })
        let (without, _) = try await run(counting(logprobs: nil))
        #expect(Self.entries(without).isEmpty)
    }

    @Test("asking for more than 20 alternatives is an invalid request")
    func tooManyAlternatives() async throws {
        await #expect(
            throws: InferenceError.invalidRequest("logprobs must ask for between 0 and 20 alternatives per token")
        ) {
            try await run(counting(logprobs: 21))
        }
    }
}

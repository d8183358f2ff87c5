import EngineSupport
import Foundation
import InferenceTypes
import LlamaEngine
import TestSupport
import Testing

@testable import LlamaEngine

/// Continuous batching on the real libllama.so and SmolLM2: several sequences in one context, one decode per step.
@Suite(.serialized) struct LlamaBatchingTests {
    static let shared = Shared()

    /// One engine of four slots of 512 tokens for the suite.
    actor Shared {
        private var engine: (any Engine)?

        func get() async throws -> any Engine {
            if let engine { return engine }
            let engine = try await LlamaBatchingTests.load(parallel: 4)
            self.engine = engine
            return engine
        }
    }

    static func load(parallel: Int) async throws -> any Engine {
        let directory = try TestModel.makeModelsDirectory()
        let loader = LlamaEngineLoader(
            options: .init(libraryPath: TestModel.libraryPath, contextLength: 512, parallel: parallel))
        return try await loader.load(try TestModel.descriptor(in: directory))
    }

    /// What one stream delivered.
    struct Outcome {
        var text = ""
        var logprobs: [TokenLogprob] = []
        var summary: GenerationSummary?
    }

    /// The order in which events of several streams arrived.
    actor EventLog {
        private(set) var entries: [String] = []
        func record(_ entry: String) { entries.append(entry) }
    }

    static func run(_ request: EngineRequest, on engine: any Engine, log: EventLog? = nil, name: String = "")
        async throws -> Outcome
    {
        var outcome = Outcome()
        for try await event in engine.generate(request) {
            switch event {
            case .text(let piece):
                outcome.text += piece
                await log?.record("\(name) text")
            case .logprobs(let entries): outcome.logprobs += entries
            case .done(let summary):
                outcome.summary = summary
                await log?.record("\(name) done")
            }
        }
        return outcome
    }

    static func greedy(_ text: String, maxTokens: Int? = 24) -> EngineRequest {
        EngineRequest(input: .text(text), maxTokens: maxTokens, sampling: SamplingOptions(temperature: 0))
    }

    static func chat(system: String, _ question: String, maxTokens: Int = 8) -> EngineRequest {
        EngineRequest(
            input: .chat([ChatMessage(role: .system, content: system), ChatMessage(role: .user, content: question)]),
            maxTokens: maxTokens, sampling: SamplingOptions(temperature: 0))
    }

    static let prompts = [
        "The capital of France is", "1, 2, 3, 4, 5,", "Once upon a time, in a small village,",
        "The three primary colours are",
    ]

    /// Greedy answers in a batch are the answers each prompt gets alone, up to a near-tie: llama.cpp's CPU
    /// kernels for a batch of several rows (quantized matrix products, attention over a unified cache) add up
    /// in another order than for one row, so logits differ in their last bits, and where the two most likely
    /// tokens are that close the other one may win. Everything before the first such tie is the same.
    @Test("greedy answers to four concurrent prompts are the answers each gets alone, up to a near-tie")
    func concurrentEqualsSequential() async throws {
        let engine = try await Self.shared.get()
        #expect(engine.slots == 4)
        func request(_ prompt: String) -> EngineRequest {
            var request = Self.greedy(prompt)
            request.logprobs = 2
            return request
        }
        var alone: [[TokenLogprob]] = []
        for prompt in Self.prompts { alone.append(try await Self.run(request(prompt), on: engine).logprobs) }
        let together = try await withThrowingTaskGroup(of: (Int, [TokenLogprob]).self) { group in
            for (index, prompt) in Self.prompts.enumerated() {
                group.addTask { (index, try await Self.run(request(prompt), on: engine).logprobs) }
            }
            var entries = [[TokenLogprob]](repeating: [], count: Self.prompts.count)
            for try await (index, logprobs) in group { entries[index] = logprobs }
            return entries
        }
        var identical = 0
        for (single, batched) in zip(alone, together) {
            #expect(single.count == 24)
            guard
                let divergence = single.indices.first(where: {
                    $0 >= batched.count || single[$0].sampled.bytes != batched[$0].sampled.bytes
                })
            else {
                #expect(batched.count == single.count)
                identical += 1
                continue
            }
            let top = single[divergence].top
            let gap = top[0].logprob - top[1].logprob
            #expect(gap < 0.1, "diverged at token \(divergence) where the best token led by \(gap)")
        }
        #expect(identical >= 1)
    }

    @Test("a grammar-constrained, a logprobs and a plain request in one batch each get theirs")
    func mixedRequests() async throws {
        let engine = try await Self.shared.get()
        var constrained = Self.greedy("Is the sky blue? Answer:", maxTokens: 8)
        constrained.grammar = #"root ::= " yes" | " no""#
        var withLogprobs = Self.greedy("The days of the week are Monday, Tuesday,", maxTokens: 12)
        withLogprobs.logprobs = 3
        let plain = Self.greedy("The capital of France is", maxTokens: 16)
        let plainAlone = try await Self.run(plain, on: engine).text
        async let a = Self.run(constrained, on: engine)
        async let b = Self.run(withLogprobs, on: engine)
        async let c = Self.run(plain, on: engine)
        let (grammarOutcome, logprobsOutcome, plainOutcome) = try await (a, b, c)
        #expect([" yes", " no"].contains(grammarOutcome.text))
        #expect(grammarOutcome.logprobs.isEmpty)
        let summary = try #require(logprobsOutcome.summary)
        #expect(logprobsOutcome.logprobs.count == summary.usage.completionTokens)
        #expect(logprobsOutcome.logprobs.allSatisfy { $0.top.count == 3 })
        #expect(logprobsOutcome.text.contains("Wednesday"))
        #expect(plainOutcome.text == plainAlone)
        #expect(plainOutcome.logprobs.isEmpty)
    }

    @Test("one slot's prompt longer than its context is its own error; the others finish")
    func overflowIsTheSlotsOwn() async throws {
        let engine = try await Self.shared.get()
        let long = Self.greedy(String(repeating: "word ", count: 600))
        let nearlyFull = Self.greedy(String(repeating: "one two three ", count: 160), maxTokens: nil)
        async let overflowing = Self.run(long, on: engine)
        async let filling = Self.run(nearlyFull, on: engine)
        async let first = Self.run(Self.greedy("The capital of France is"), on: engine)
        async let second = Self.run(Self.greedy("1, 2, 3, 4, 5,"), on: engine)
        do {
            _ = try await overflowing
            Issue.record("a prompt longer than the slot's context was accepted")
        } catch let error as InferenceError {
            guard case .contextOverflow(_, let size) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(size == 512)
        }
        let filled = try #require(try await filling.summary)
        #expect(filled.finishReason == .length)
        #expect(filled.usage.promptTokens + filled.usage.completionTokens <= 512)
        #expect(try await first.summary?.usage.completionTokens == 24)
        #expect(try await second.summary?.usage.completionTokens == 24)
    }

    static let system = String(
        repeating: "You are a careful assistant for a small museum of clocks. Answer briefly, kindly and exactly. ",
        count: 12)

    @Test("a long system prompt stays cached across another conversation and a cancelled stream")
    func prefixReuse() async throws {
        let engine = try await Self.shared.get()
        _ = try await Self.run(Self.chat(system: Self.system, "When do you open?"), on: engine)
        let warm = try #require(
            try await Self.run(Self.chat(system: Self.system, "Where are you?"), on: engine).summary)
        #expect(warm.usage.cachedTokens > 150)

        _ = try await Self.run(Self.chat(system: "You are a pirate.", "Say something."), on: engine)
        let afterOther = try #require(
            try await Self.run(Self.chat(system: Self.system, "Is there a café?"), on: engine).summary)
        #expect(afterOther.usage.cachedTokens > 150)

        let stopped = Task {
            var pieces = 0
            for try await event in engine.generate(Self.chat(system: Self.system, "Tell me a story.", maxTokens: 200)) {
                if case .text = event { pieces += 1 }
                if pieces == 2 { break }
            }
        }
        try await stopped.value
        let afterStop = try #require(
            try await Self.run(Self.chat(system: Self.system, "Can I bring a dog?"), on: engine).summary)
        #expect(afterStop.usage.cachedTokens > 150)
    }

    @Test("a long prompt is prefilled in chunks between a running stream's tokens")
    func prefillDoesNotStallARunningStream() async throws {
        let engine = try await Self.shared.get()
        let log = EventLog()
        var running = engine.generate(Self.greedy("1, 2, 3, 4, 5, 6, 7,", maxTokens: 120)).makeAsyncIterator()
        var pieces = 0
        while pieces < 3, let event = try await running.next() {
            if case .text = event { pieces += 1 }
        }
        await log.record("long submitted")
        let long = Task {
            try await Self.run(
                Self.greedy(
                    String(repeating: "one two three ", count: 150),
                    maxTokens: 2), on: engine, log: log, name: "long")
        }
        while let event = try await running.next() {
            if case .text = event { await log.record("running text") }
        }
        let outcome = try await long.value
        #expect(try #require(outcome.summary).usage.promptTokens > 3 * LlamaBatchLoop.prefillChunk)
        let entries = await log.entries
        let firstLong = try #require(entries.firstIndex(of: "long text"))
        let between = entries[..<firstLong].filter { $0 == "running text" }.count
        #expect(between >= 2, "\(entries)")
    }

    @Test("cancelling one of three streams ends it at once; the others finish and a fourth takes its slot")
    func cancellingOneFreesItsSlot() async throws {
        let engine = try await Self.load(parallel: 3)
        let log = EventLog()
        let long = Self.greedy("1, 2, 3, 4, 5, 6, 7,", maxTokens: 160)
        let first = Task { try await Self.run(long, on: engine, log: log, name: "first") }
        let second = Task { try await Self.run(long, on: engine, log: log, name: "second") }
        let leaving = CancellationFlag()
        let cancelled = Task { () -> Int? in
            var pieces = 0
            do {
                for try await event in engine.generate(Self.greedy("Once upon a time,", maxTokens: 400), stop: leaving)
                {
                    if case .text = event { pieces += 1 }
                    if pieces == 3 { leaving.cancel() }
                }
                return nil
            } catch InferenceError.cancelled {
                return pieces
            }
        }
        // The stream ends at once: at most the few pieces already on their way arrive after the cancel.
        let piecesSeen = try #require(try await cancelled.value)
        #expect((3...8).contains(piecesSeen))
        let fourth = try await Self.run(
            Self.greedy("The capital of France is", maxTokens: 8), on: engine, log: log,
            name: "fourth")
        #expect(fourth.summary?.usage.completionTokens == 8)
        let firstOutcome = try await first.value
        let secondOutcome = try await second.value
        #expect(firstOutcome.summary?.usage.completionTokens == 160)
        #expect(secondOutcome.text == firstOutcome.text)
        let entries = await log.entries
        let fourthDone = try #require(entries.firstIndex(of: "fourth done"))
        #expect(fourthDone < (entries.firstIndex(of: "first done") ?? 0), "\(entries)")
        await engine.unload()
    }
}

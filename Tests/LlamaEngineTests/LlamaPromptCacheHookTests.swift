import CLlama
import Foundation
import InferenceTypes
import Synchronization
import TestSupport
import Testing

@testable import LlamaEngine

/// How the batch loop uses the keeper of sequence states (a stand-in here, recording what it is asked): what it
/// keeps when a slot changes conversation, and the named prompt caches it saves and starts from.
@Suite(.serialized) struct LlamaPromptCacheHookTests {
    /// Records the calls; `load` answers with `loadedTokens`, `save` with 4096 bytes.
    final class RecordingStates: LlamaSequenceStates, Sendable {
        struct Log {
            var kept: [[llama_token]] = []
            var restoreMinimums: [Int] = []
            var saved: [(path: String, tokens: [llama_token])] = []
            var loadedTokens: [llama_token] = []
        }

        let log = Mutex(Log())

        func keep(_ tokens: [llama_token], of sequence: llama_seq_id, in context: LlamaContext) {
            log.withLock { $0.kept.append(tokens) }
        }

        func restore(
            prefixOf prompt: [llama_token], longerThan minimum: Int, into sequence: llama_seq_id,
            in context: LlamaContext
        ) -> [llama_token] {
            log.withLock { $0.restoreMinimums.append(minimum) }
            return []
        }

        func save(_ sequence: llama_seq_id, holding tokens: [llama_token], in context: LlamaContext, to path: String)
            throws(InferenceError) -> UInt64
        {
            log.withLock { $0.saved.append((path, tokens)) }
            return 4096
        }

        func load(_ path: String, into sequence: llama_seq_id, in context: LlamaContext) throws(InferenceError)
            -> [llama_token]
        {
            log.withLock { $0.loadedTokens }
        }
    }

    private static func load(states: RecordingStates?) async throws -> LlamaEngine {
        let directory = try TestModel.makeModelsDirectory()
        let loader = LlamaEngineLoader(options: .init(libraryPath: TestModel.libraryPath, contextLength: 512))
        return try await loader.load(try TestModel.descriptor(in: directory)) { _ in states }
    }

    private static func request(_ text: String) -> EngineRequest {
        EngineRequest(input: .text(text), maxTokens: 4, sampling: SamplingOptions(temperature: 0))
    }

    private static func summary(_ request: EngineRequest, on engine: any Engine) async throws -> GenerationSummary? {
        for try await event in engine.generate(request) { if case .done(let summary) = event { return summary } }
        return nil
    }

    @Test("a slot taken by another conversation hands its tokens to the keeper first, then asks it for more")
    func evictionKeepsTheOldConversation() async throws {
        let states = RecordingStates()
        let engine = try await Self.load(states: states)
        let first = "The museum of clocks opens at nine and closes at five every day except Monday."
        _ = try await Self.summary(Self.request(first), on: engine)
        _ = try await Self.summary(Self.request("Pirates sail the seven seas."), on: engine)
        let log = states.log.withLock { $0 }
        let firstTokens = try await engine.tokenize(first, addSpecial: true, parseSpecial: true)
        #expect(log.kept.count == 1)
        #expect(log.kept.first.map { Array($0.prefix(firstTokens.count)).map(Int.init) } == firstTokens)
        #expect(log.restoreMinimums.count == 2)
        await engine.unload()
    }

    @Test("a named cache is saved from a full prefill, and a prompt that does not begin with it is refused")
    func namedCaches() async throws {
        let states = RecordingStates()
        let engine = try await Self.load(states: states)
        let text = "You are a guide of the museum of clocks."
        let saved = try await engine.savePromptCache(of: .text(text), to: "/tmp/unused.state")
        let tokens = try await engine.tokenize(text, addSpecial: true, parseSpecial: true)
        #expect(saved == SavedPromptCache(tokens: tokens.count, bytes: 4096))
        #expect(states.log.withLock { $0.saved.map(\.path) } == ["/tmp/unused.state"])
        #expect(states.log.withLock { $0.saved.first?.tokens.map(Int.init) } == tokens)

        // The stand-in loads nothing into the sequence: a prompt begins with an empty cache.
        var matching = Self.request(text + " When do you open?")
        matching.promptCache = PromptCacheUse(path: "/tmp/unused.state", text: text, tokens: tokens.count)
        let answered = try #require(try await Self.summary(matching, on: engine))
        #expect(answered.usage.promptTokens > tokens.count)
        #expect(answered.usage.cachedTokens == 0)

        states.log.withLock { $0.loadedTokens = tokens.map(llama_token.init) }
        var other = Self.request("Something else entirely.")
        other.promptCache = matching.promptCache
        do {
            _ = try await Self.summary(other, on: engine)
            Issue.record("a prompt that does not begin with the cached one was accepted")
        } catch InferenceError.invalidRequest(let message) {
            #expect(message.hasPrefix("the prompt does not begin with the cached prompt"))
        }
        await engine.unload()
    }

    @Test("without a keeper, named caches are off")
    func cachesOff() async throws {
        let engine = try await Self.load(states: nil)
        await #expect(throws: InferenceError.invalidRequest("prompt caches are off")) {
            try await engine.savePromptCache(of: .text("Hello"), to: "/tmp/unused.state")
        }
        var request = Self.request("Hello there")
        request.promptCache = PromptCacheUse(path: "/tmp/unused.state", text: "Hello", tokens: 2)
        await #expect(throws: InferenceError.invalidRequest("prompt caches are off")) {
            try await Self.summary(request, on: engine)
        }
        #expect(engine.info.runtimeVersion.hasPrefix("llama.cpp "))
        await engine.unload()
    }
}

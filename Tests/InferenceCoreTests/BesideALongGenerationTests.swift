import Foundation
import InferenceCore
import InferenceTypes
import TestSupport
import Testing

/// Issue 12 item 6: a runaway answer (no `max_tokens`, minutes of tokens) must not hold up the title, tag,
/// embedding and unload requests behind it when the model has slots for them.
@Suite struct BesideALongGenerationTests {
    /// An engine of two slots: "long" plays one token and stalls until released, anything else answers at once.
    static func core() throws -> ScriptedCore {
        try ScriptedCore { _ in
            ScriptedEngine(slots: 2) { request in
                guard case .chat(let messages) = request.input, messages.last?.content == "long" else {
                    return ScriptedEngine.answer(["short"])
                }
                return [.event(.text("a")), .stall, .event(ScriptedEngine.summary(tokens: 2))]
            }
        }
    }

    @Test func aShortGenerationAndAnEmbeddingRunBesideALongOne() async throws {
        let core = try Self.core()
        let long = try await core.service.generate(ScriptedCore.chat("alpha", "long"))
        let engine = try #require(core.loader.engines.first)
        #expect(try await ScriptedCore.eventually { engine.stalls == 1 })
        let short = try await HangGuard.within(2) {
            try await core.service.generate(ScriptedCore.chat("alpha", "title, please")).collect()
        }
        #expect(short.text == "short")
        let embedding = try await HangGuard.within(2) {
            try await core.service.embed(model: "alpha", inputs: ["tag"], truncate: true)
        }
        #expect(embedding.result.vectors == [[1, 0]])
        #expect(engine.stalls == 1, "the long generation still runs")
        engine.releaseStalls()
        #expect(try await long.collect().text == "a")
    }

    @Test func anUnloadAnswersAtOnceAndTheModelGoesWhenItsLastGenerationEnds() async throws {
        let core = try Self.core()
        let long = try await core.service.generate(ScriptedCore.chat("alpha", "long"))
        let engine = try #require(core.loader.engines.first)
        #expect(try await HangGuard.within(2) { try await core.service.unload("alpha") })
        let status = try #require(await core.service.loadedModels().first)
        #expect(status.unloadsWhenIdle, "the status says it unloads when its generation ends")
        #expect(status.activeRequests == 1)
        #expect(try #require(status.expiresAt).timeIntervalSinceNow <= 0)
        #expect(!engine.isUnloaded, "the running generation keeps its model")
        engine.releaseStalls()
        #expect(try await long.collect().text == "a")
        #expect(try await ScriptedCore.eventually { await core.loaded().isEmpty })
        #expect(engine.isUnloaded)
    }
}

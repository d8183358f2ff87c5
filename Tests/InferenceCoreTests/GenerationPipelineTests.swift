import Foundation
import InferenceCore
import InferenceTypes
import OrderedJSON
import SchemaGrammar
import TestSupport
import Testing

@Suite("One generation pipeline on a scripted engine: events, time limits, lease release")
struct GenerationPipelineTests {
    @Test("reasoning and tool calls are made by the core out of the engine's text")
    func reasoningAndToolCalls() async throws {
        let call = #"<tool_call>{"name": "get_weather", "arguments": {"city": "Oslo"}}</tool_call>"#
        let core = try ScriptedCore { _ in
            ScriptedEngine(info: ScriptedEngine.info(canThink: true)) { _ in
                ScriptedEngine.answer(["<think>", "Cold", " up north.", "</think>", "Checking.\n", call])
            }
        }
        var request = ScriptedCore.chat()
        request.tools = [
            ["type": "function", "function": ["name": "get_weather", "parameters": ["type": "object"]]]
        ]
        let answer = try await core.service.generate(request).collect()
        #expect(answer.reasoning == "Cold up north.")
        #expect(answer.text == "Checking.\n")
        #expect(answer.toolCalls.map(\.name) == ["get_weather"])
        #expect(answer.summary.finishReason == .toolCalls)
        #expect(answer.summary.usage.reasoningTokens == 4)
    }

    @Test("an error in mid-stream reaches the reader after the events before it, and the lease is released")
    func midStreamError() async throws {
        let core = try ScriptedCore(keepAlive: .seconds(0)) { _ in
            ScriptedEngine { _ in [.event(.text("partial")), .fail(.engineFailure("the NPU fell over"))] }
        }
        let generation = try await core.service.generate(ScriptedCore.chat())
        #expect(generation.first == .text("partial"))
        await #expect(throws: InferenceError.engineFailure("the NPU fell over")) { try await generation.next() }
        #expect(await core.loaded().isEmpty)
    }

    @Test("a failure before the first event is thrown by generate itself, with the lease released")
    func failureBeforeFirstEvent() async throws {
        let core = try ScriptedCore(keepAlive: .seconds(0)) { _ in
            ScriptedEngine { _ in [.fail(.contextOverflow(promptTokens: 9000, contextSize: 4096))] }
        }
        await #expect(throws: InferenceError.contextOverflow(promptTokens: 9000, contextSize: 4096)) {
            try await core.service.generate(ScriptedCore.chat())
        }
        #expect(await core.loaded().isEmpty)
    }

    @Test("an invalid schema is refused before any model is loaded")
    func invalidSchemaBeforeLoad() async throws {
        let core = try ScriptedCore()
        var request = ScriptedCore.chat()
        request.responseFormat = .jsonSchema("not a schema")
        await #expect(throws: InferenceError.invalidResponseFormat("the JSON schema must be an object")) {
            try await core.service.generate(request)
        }
        #expect(core.loader.loads == 0)
    }

    @Test("the response format reaches the engine as the grammar the core compiled")
    func formatBecomesGrammar() async throws {
        let core = try ScriptedCore()
        var request = ScriptedCore.chat()
        request.responseFormat = .jsonObject
        _ = try await core.service.generate(request).collect()
        #expect(core.loader.engines.first?.requests.first?.grammar == JSONSchemaGrammar.anyJSONObject)
    }

    @Test("an engine silent past the first-event limit is stopped with the error of the time limit")
    func firstEventLimit() async throws {
        let core = try ScriptedCore(timeLimits: GenerationTimeLimits(base: 0.2, perPromptToken: 0, betweenEvents: 5)) {
            _ in ScriptedEngine { _ in [.stall] }
        }
        let start = ContinuousClock.now
        await #expect(
            throws: InferenceError.engineFailure(
                "no first token within 0 s (the limit for this prompt); the generation was stopped")
        ) { try await core.service.generate(ScriptedCore.chat()) }
        #expect(ContinuousClock.now - start < .seconds(2))
        #expect(core.loader.engines.first?.stopped == 1)
    }

    @Test("an engine silent past the between-events limit is stopped with the error of the time limit")
    func betweenEventsLimit() async throws {
        let core = try ScriptedCore(timeLimits: GenerationTimeLimits(base: 5, perPromptToken: 0, betweenEvents: 0.2)) {
            _ in ScriptedEngine { _ in [.event(.text("a")), .stall] }
        }
        let generation = try await core.service.generate(ScriptedCore.chat())
        await #expect(
            throws: InferenceError.engineFailure(
                "no output for 0 s (the limit for this prompt); the generation was stopped")
        ) { try await generation.next() }
        #expect(core.loader.engines.first?.stopped == 1)
    }

    @Test("the lease is released when the events end: keep-alive 0 unloads the model before collect returns")
    func releasedAtTheEnd() async throws {
        let core = try ScriptedCore(keepAlive: .seconds(0))
        let answer = try await core.service.generate(ScriptedCore.chat()).collect()
        #expect(answer.text == "Hello!")
        #expect(await core.loaded().isEmpty)
        #expect(core.loader.engines.first?.isUnloaded == true)
    }

    @Test("a cancelled generation ends at once with .cancelled and releases its lease")
    func releasedWhenCancelled() async throws {
        let core = try ScriptedCore(keepAlive: .seconds(0)) { _ in
            ScriptedEngine { _ in [.event(.text("a")), .stall] }
        }
        let generation = try await core.service.generate(ScriptedCore.chat())
        generation.cancel()
        await #expect(throws: InferenceError.cancelled) { try await generation.next() }
        #expect(await core.loaded().isEmpty)
        #expect(core.loader.engines.first?.stopped == 1)
    }

    @Test("a generation dropped unread stops its engine and hands its lease back")
    func releasedWhenAbandoned() async throws {
        let core = try ScriptedCore(keepAlive: .seconds(0)) { _ in
            ScriptedEngine { _ in [.event(.text("a")), .stall] }
        }
        var generation: Generation? = try await core.service.generate(ScriptedCore.chat())
        #expect(generation?.first == .text("a"))
        generation = nil
        #expect(try await ScriptedCore.eventually { await core.loaded().isEmpty })
        #expect(core.loader.engines.first?.stopped == 1)
    }

    @Test("queue time is measured into the summary")
    func queueTime() async throws {
        let core = try ScriptedCore { _ in
            ScriptedEngine { request in
                request.input == ScriptedCore.chat("alpha", "first").input
                    ? [.event(.text("a")), .stall, .event(ScriptedEngine.summary(tokens: 1))]
                    : ScriptedEngine.answer(["b"])
            }
        }
        let first = try await core.service.generate(ScriptedCore.chat("alpha", "first"))
        let second = Task { try await core.service.generate(ScriptedCore.chat("alpha", "second")).collect() }
        try await Task.sleep(for: .milliseconds(100))
        core.loader.engines.first?.releaseStalls()
        _ = try await first.collect()
        let summary = try await second.value.summary
        #expect(summary.timings.queueNanos >= 80_000_000)
    }

    @Test("a model's queue is bounded: one running, one waiting, the next refused as busy")
    func busy() async throws {
        let core = try ScriptedCore(maxQueueDepth: 1) { _ in
            ScriptedEngine { _ in [.event(.text("a")), .stall, .event(ScriptedEngine.summary(tokens: 1))] }
        }
        let running = try await core.service.generate(ScriptedCore.chat())
        let waiting = Task { try await core.service.generate(ScriptedCore.chat()).first }
        try await Task.sleep(for: .milliseconds(50))
        await #expect(throws: InferenceError.busy(retryAfterSeconds: 1)) {
            try await core.service.generate(ScriptedCore.chat())
        }
        core.loader.engines.first?.releaseStalls()
        _ = try await running.collect()
        #expect(try await waiting.value == .text("a"))
    }
}

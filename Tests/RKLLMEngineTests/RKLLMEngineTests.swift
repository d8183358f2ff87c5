import Foundation
import InferenceCore
import InferenceTypes
import ModelStore
import RKLLMEngine
import TestSupport
import Testing

/// The RKLLM engine on the simulator, in both runtime layouts.
@Suite(.serialized) struct RKLLMEngineTests {
    private func load(
        _ layout: String, fileName: String = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm",
        sidecar: String? = nil, destroyTimeout: Double = 10
    ) async throws -> (any Engine, String) {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory, fileName: fileName, sidecar: sidecar)
        let loader = RKLLMEngineLoader(
            options: .init(libraryPath: Simulator.libraryPath(layout), destroyTimeout: destroyTimeout))
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        return (try await loader.load(descriptor), directory)
    }

    private func run(_ engine: any Engine, _ request: EngineRequest) async throws -> ([String], GenerationSummary) {
        var pieces: [String] = []
        for try await event in engine.generate(request) {
            switch event {
            case .text(let text): pieces.append(text)
            case .done(let summary): return (pieces, summary)
            case .logprobs: break
            }
        }
        throw InferenceError.engineFailure("no summary")
    }

    private func chat(_ text: String, maxTokens: Int? = nil, stop: [String] = [], temperature: Double? = nil)
        -> EngineRequest
    {
        EngineRequest(
            input: .chat([ChatMessage(role: .user, content: text)]), maxTokens: maxTokens,
            stop: stop, sampling: SamplingOptions(temperature: temperature))
    }

    @Test(arguments: Simulator.layouts)
    func detectsTheRuntimeLayout(layout: String) throws {
        let runtime = try RKLLMRuntime.open(path: Simulator.libraryPath(layout))
        #expect(runtime.abi.rawValue == layout)
    }

    @Test func aLibraryCalledThroughTheOtherLayoutIsRefusedWithoutACrash() throws {
        #expect {
            try RKLLMRuntime.open(path: Simulator.libraryPath("1.3"), abi: .v1_2)
        } throws: { error in
            "\(error)".contains("1.3") && "\(error)".contains("layout")
        }
        #expect(throws: InferenceError.self) { try RKLLMRuntime.open(path: Simulator.libraryPath("1.2"), abi: .v1_3) }
    }

    @Test func aLibraryThatIsNotAnRKLLMRuntimeIsRefused() {
        #expect {
            try RKLLMRuntime.open(path: TestModel.libraryPath)
        } throws: { error in
            "\(error)".contains("not an RKLLM runtime")
        }
    }

    @Test(arguments: Simulator.layouts)
    func streamsWholeCharactersWhenTheRuntimeSplitsThem(layout: String) async throws {
        let (engine, _) = try await load(layout)
        let answer = "Grüße aus München — 𝄞 ✓ 你好"
        let (pieces, summary) = try await run(engine, chat("Repeat: [[echo]]\(answer)[[/echo]]"))
        #expect(pieces.joined() == answer)
        #expect(pieces.allSatisfy { !$0.unicodeScalars.contains("\u{FFFD}") })
        #expect(summary.finishReason == .stop)
        #expect(summary.usage.completionTokens > answer.utf8.count / 3)
        #expect(summary.usage.promptTokens > 0 && summary.timings.promptEvalNanos > 0)
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func maxTokensEndsWithLength(layout: String) async throws {
        let (engine, _) = try await load(layout)
        let (pieces, summary) = try await run(engine, chat("Tell me about foxes.", maxTokens: 7))
        #expect(summary.finishReason == .length)
        #expect(summary.usage.completionTokens == 7)
        #expect(pieces.joined() == "The quick brown fox jumps over the ")
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func stopStringsEndTheAnswerAndAreNotEmitted(layout: String) async throws {
        let (engine, _) = try await load(layout)
        let (pieces, summary) = try await run(
            engine, chat("[[echo]]alpha beta STOP gamma delta[[/echo]]", stop: ["STOP"]))
        #expect(pieces.joined() == "alpha beta ")
        #expect(summary.finishReason == .stop)
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aConsumerThatGoesAwayAbortsTheRuntime(layout: String) async throws {
        let (engine, _) = try await load(layout)
        let before = Simulator.eventCount()
        let consumer = Task {
            var count = 0
            for try await event in engine.generate(chat("Tell me everything.", maxTokens: 2000)) {
                if case .text = event { count += 1 }
                if count == 3 { break }
            }
        }
        try await consumer.value
        let (_, next) = try await run(engine, chat("[[echo]]ok[[/echo]]"))
        let events = Simulator.events(from: before)
        #expect(events.contains("abort"))
        #expect(events.contains { $0.hasPrefix("finish") })
        #expect(next.timings.queueNanos < 1_000_000_000)
        await engine.unload()
    }

    @Test func perRequestSamplingReachesA13RuntimeAndA12RuntimeKeepsItsLoadTimeValues() async throws {
        for layout in Simulator.layouts {
            let (engine, _) = try await load(layout)
            let before = Simulator.eventCount()
            _ = try await run(engine, chat("Hi", maxTokens: 2, temperature: 0.2))
            let runLine = try #require(Simulator.events(from: before).first { $0.hasPrefix("run ") })
            #expect(
                runLine.contains(layout == "1.3" ? "temperature=0.20" : "temperature=0.80"), "\(layout): \(runLine)")
            await engine.unload()
        }
    }

    @Test(arguments: Simulator.layouts)
    func aSidecarSetsSamplingDefaultsAndTheContext(layout: String) async throws {
        let before = Simulator.eventCount()
        let (engine, _) = try await load(
            layout,
            sidecar: #"""
                {"context_length": 2048, "sampling": {"temperature": 0.5, "top_k": 7}, "base_domain_id": 1,
                 "embed_flash": false, "n_keep": 32}
                """#)
        let initLine = try #require(Simulator.events(from: before).first { $0.hasPrefix("init ok") })
        #expect(initLine.contains("max_context_len=2048"))
        #expect(initLine.contains("base_domain_id=1") && initLine.contains("embed_flash=0"), "\(initLine)")
        #expect(initLine.contains("n_keep=32"), "\(initLine)")
        #expect(engine.info.contextLength == 2048)
        let runStart = Simulator.eventCount()
        _ = try await run(engine, chat("Hi", maxTokens: 1))
        let runLine = try #require(Simulator.events(from: runStart).first { $0.hasPrefix("run ") })
        #expect(runLine.contains("temperature=0.50") && runLine.contains("top_k=7"), "\(runLine)")
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aPromptLongerThanTheContextIsRefusedInTheRuntimesWords(layout: String) async throws {
        let (engine, _) = try await load(layout, fileName: "qwen3-0.6b-w8a8-ctx64-rk3588.rkllm")
        await #expect {
            try await run(engine, chat(String(repeating: "many words ", count: 100)))
        } throws: { error in
            guard case .invalidRequest(let message) = error as? InferenceError else { return false }
            return message.contains("exceeds the max context")
        }
        let (pieces, _) = try await run(engine, chat("[[echo]]fits[[/echo]]"))
        #expect(pieces.joined() == "fits")
        await engine.unload()
    }

    @Test func theBoardsBigCoresAreTheDefault() async throws {
        let before = Simulator.eventCount()
        let (engine, _) = try await load("1.3")
        let initLine = try #require(Simulator.events(from: before).first { $0.hasPrefix("init ok") })
        #expect(initLine.contains("cpus_mask=0xf0") || initLine.contains("cpus_mask=0xF0"), "\(initLine)")
        #expect(initLine.contains("embed_flash=1"))
        await engine.unload()
    }

    @Test func aHungDestroyDoesNotHangUnloading() async throws {
        let (engine, _) = try await load("1.3", destroyTimeout: 0.3)
        setenv("RKLLM_SIM_DESTROY_HANG_MS", "3000", 1)
        defer { unsetenv("RKLLM_SIM_DESTROY_HANG_MS") }
        let before = Simulator.eventCount()
        await engine.unload()
        // unload returned while rkllm_destroy is still stuck in its hang.
        #expect(!Simulator.events(from: before).contains("destroy"))
    }
}

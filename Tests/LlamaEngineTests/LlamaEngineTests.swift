import EngineSupport
import Foundation
import InferenceTypes
import LlamaEngine
import TestSupport
import Testing

@testable import LlamaEngine

/// The llama engine on the real libllama.so and the real SmolLM2 model.
@Suite(.serialized) struct LlamaEngineTests {
    static let shared = Shared()

    /// One loaded engine for the whole suite: loading takes a fraction of a second but adds up. It runs
    /// `ROCKCHIP_LLAMA_TEST_PARALLEL` slots (default 1), so that the suites can be run against the batch loop
    /// with one slot and with several.
    actor Shared {
        private var engine: (any Engine)?

        func get() async throws -> any Engine {
            if let engine { return engine }
            let directory = try TestModel.makeModelsDirectory()
            let parallel = ProcessInfo.processInfo.environment["ROCKCHIP_LLAMA_TEST_PARALLEL"].flatMap(Int.init) ?? 1
            let loader = LlamaEngineLoader(
                options: .init(libraryPath: TestModel.libraryPath, contextLength: 512, parallel: parallel))
            let engine = try await loader.load(try TestModel.descriptor(in: directory))
            self.engine = engine
            return engine
        }
    }

    private func run(_ request: EngineRequest) async throws -> (text: String, summary: GenerationSummary) {
        var text = ""
        for try await event in try await Self.shared.get().generate(request) {
            switch event {
            case .text(let piece): text += piece
            case .done(let summary): return (text, summary)
            case .logprobs: break
            }
        }
        throw InferenceError.engineFailure("no summary")
    }

    private func chat(_ content: String, maxTokens: Int = 24, stop: [String] = []) -> EngineRequest {
        EngineRequest(
            input: .chat([ChatMessage(role: .user, content: content)]), maxTokens: maxTokens,
            stop: stop, sampling: SamplingOptions(temperature: 0))
    }

    @Test func readsTheModelsMetadata() async throws {
        let info = try await Self.shared.get().info
        #expect(info.architecture == "llama")
        #expect(info.trainedContextLength == 8192)
        #expect(info.contextLength == 512)
        #expect(info.chatTemplate?.contains("<|im_start|>") == true)
        #expect(info.quantization == "Q4_1")
        #expect(info.parameterCount > 100_000_000)
    }

    @Test func answersAQuestion() async throws {
        let (text, summary) = try await run(chat("What is the capital of France?", maxTokens: 40))
        #expect(text.contains("Paris"))
        #expect(summary.finishReason == .stop)
        #expect(summary.usage.completionTokens > 0)
        #expect(summary.timings.promptEvalNanos > 0)
    }

    @Test func greedyOutputIsReproducible() async throws {
        let first = try await run(chat("Write a sentence about the sea."))
        let second = try await run(chat("Write a sentence about the sea."))
        #expect(first.text == second.text)
        #expect(!first.text.isEmpty)
    }

    @Test func maxTokensEndsWithLength() async throws {
        let (_, summary) = try await run(chat("Tell me a long story about a dragon.", maxTokens: 5))
        #expect(summary.finishReason == .length)
        #expect(summary.usage.completionTokens == 5)
    }

    @Test func usageCountsMatchTheTokenizer() async throws {
        let prompt = "The quick brown fox jumps over the lazy dog because"
        let request = EngineRequest(input: .text(prompt), maxTokens: 12, sampling: SamplingOptions(temperature: 0))
        let (text, summary) = try await run(request)
        let runtime = try LlamaRuntime.open(path: TestModel.libraryPath)
        let model = try LlamaModel(runtime: runtime, path: TestModel.modelPath, modelName: "count")
        #expect(summary.usage.promptTokens == (try model.tokenize(prompt, addSpecial: true, parseSpecial: true).count))
        let completionTokens = try model.tokenize(text, addSpecial: false, parseSpecial: false).count
        #expect(abs(completionTokens - summary.usage.completionTokens) <= 1)
        #expect(summary.usage.completionTokens == 12)
    }

    @Test func stopStringsEndTheAnswerAndAreNotEmitted() async throws {
        func counting(stop: [String]) -> EngineRequest {
            EngineRequest(
                input: .text("1, 2, 3,"), maxTokens: 24, stop: stop,
                sampling: SamplingOptions(temperature: 0))
        }
        let full = try await run(counting(stop: [])).text
        #expect(full.contains(" 6,"))
        let (text, summary) = try await run(counting(stop: [" 6,"]))
        #expect(summary.finishReason == .stop)
        #expect(!text.contains("6"))
        #expect(full.hasPrefix(text))
        #expect(text.contains("5"))
    }

    @Test func aRepeatedPromptReusesTheCache() async throws {
        let request = chat("Name three colours.")
        _ = try await run(request)
        let (_, summary) = try await run(request)
        #expect(summary.usage.cachedTokens == summary.usage.promptTokens - 1)
    }

    @Test func aPromptLongerThanTheContextIsRefused() async throws {
        let long = String(repeating: "word ", count: 600)
        await #expect(throws: InferenceError.self) { try await run(chat(long)) }
        let (text, _) = try await run(chat("Say yes.", maxTokens: 4))
        #expect(!text.isEmpty)
    }

    @Test func stoppingTheConsumerStopsTheGeneration() async throws {
        let engine = try await Self.shared.get()
        let counting = EngineRequest(
            input: .text("1, 2, 3, 4, 5, 6, 7,"), maxTokens: 400,
            sampling: SamplingOptions(temperature: 0))
        let consumer = Task {
            var pieces = 0
            for try await event in engine.generate(counting) {
                if case .text = event { pieces += 1 }
                if pieces == 3 { break }
            }
        }
        try await consumer.value
        // The next request is queued behind the abandoned one: it waits only as long as stopping takes.
        let (_, summary) = try await run(chat("Say yes.", maxTokens: 2))
        #expect(summary.timings.queueNanos < 500_000_000)
    }
}

@Suite struct LlamaRuntimeTests {
    @Test func aLibraryThatIsNotLlamaCppIsRefused() throws {
        let ggml = (TestModel.libraryPath as NSString).deletingLastPathComponent + "/libggml-base.so"
        #expect(throws: InferenceError.self) { try LlamaRuntime.open(path: ggml) }
    }

    @Test func aMissingLibraryNamesThePath() {
        do {
            _ = try LlamaRuntime.open(path: "/nonexistent/libllama.so")
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("/nonexistent/libllama.so"))
        }
    }

    @Test func aFileThatIsNotAModelFailsToLoadWithTheRuntimesReason() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("broken-\(UUID().uuidString).gguf")
        try Data("not a gguf file".utf8).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let loader = LlamaEngineLoader(options: .init(libraryPath: TestModel.libraryPath))
        let descriptor = ModelDescriptor(
            id: "broken", path: path.path, format: .gguf, sizeBytes: 15, modifiedAt: Date())
        do {
            _ = try await loader.load(descriptor)
            Issue.record("expected an error")
        } catch let error as InferenceError {
            guard case .modelLoadFailed(let model, let reason) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(model == "broken")
            #expect(!reason.isEmpty)
        }
    }
}

import Foundation
import InferenceTypes
import ModelStore
import RKLLMEngine
import TestSupport
import Testing

/// Runtime 1.3.0's faults as the simulator reproduces them (switched on by keys of the model file, so that other
/// suites running at the same time are not affected), and the engine's workarounds, on both layouts.
@Suite(.serialized) struct RKLLMRuntimeFaultTests {
    static let fileName = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"
    static let reasoning = "<think>The user asks for the capital of France. I know it well, it is Paris.</think>"
    static let answer = "The capital of France is Paris."

    /// Loads the simulated Qwen3 whose model file carries `faults` (extra JSON members).
    private func load(_ layout: String, faults: String) async throws -> any Engine {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        let header =
            #"RKLLMSIM1{"target_platform":"rk3588","max_context_limit":4096,"model_dtype":"w8a8",\#(faults)}"#
        try Data(header.utf8).write(to: URL(fileURLWithPath: "\(directory)/\(Self.fileName)"))
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout)))
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        return try await loader.load(descriptor)
    }

    private func run(_ engine: any Engine, _ content: String, maxTokens: Int = 200, thinking: Bool? = nil)
        async throws -> (String, GenerationSummary)
    {
        let request = EngineRequest(
            input: .chat([ChatMessage(role: .user, content: content)]), maxTokens: maxTokens, thinking: thinking)
        return try await engine.answer(request)
    }

    /// The simulator's count of the tokens a run produced after the EOS, from its event log.
    private func tokensAfterEOS(since start: Int) -> [Int] {
        Simulator.events(from: start).filter { $0.hasPrefix("tokens ") && $0.contains("eos=1") }.compactMap { line in
            line.split(separator: " ").first { $0.hasPrefix("after_eos=") }.flatMap { Int($0.dropFirst(10)) }
        }
    }

    @Test(arguments: Simulator.layouts)
    func theWrongEOSRunsOnInTheSimulatorAndTheEngineStopsAtTheRealOne(layout: String) async throws {
        let engine = try await load(layout, faults: #""fault_wrong_eos":true"#)
        let start = Simulator.eventCount()
        let (text, summary) = try await run(engine, "Say it. [[echo]]Paris is the capital.[[/echo]]", maxTokens: 60)
        #expect(text == "Paris is the capital.")
        #expect(summary.finishReason == .stop)
        // Seven 3-byte tokens of answer and the EOS: not the 60 of the token limit.
        #expect(summary.usage.completionTokens == 8)
        let after = tokensAfterEOS(since: start)
        #expect(after.count == 1 && after.allSatisfy { $0 <= 1 }, "\(Simulator.events(from: start))")
        // The next request answers from an empty history, not the rest of the aborted run.
        let (again, _) = try await run(engine, "Again. [[echo]]Yes.[[/echo]]", maxTokens: 60)
        #expect(again == "Yes.")
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func withoutTheWorkaroundTheSimulatorWouldRunToTheTokenLimit(layout: String) async throws {
        // A sidecar with no EOS ids of its own and a family the engine does not know: nothing to watch for.
        let engine = try await load(layout, faults: #""fault_wrong_eos":true,"eos_token_id":7"#)
        let start = Simulator.eventCount()
        let (text, summary) = try await run(engine, "Say it. [[echo]]Paris.[[/echo]]", maxTokens: 20)
        #expect(text.hasPrefix("Paris."))
        #expect(text.count > "Paris.".count)
        #expect(summary.finishReason == .length)
        #expect(tokensAfterEOS(since: start) == [20 - 2 - 1])
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func twoPhaseThinkingYieldsTheWholeAnswerWithItsReasoning(layout: String) async throws {
        let engine = try await load(layout, faults: #""fault_two_phase_thinking":true,"phase2_tokens":40"#)
        let start = Simulator.eventCount()
        let (text, summary) = try await run(
            engine, "Capital of France? [[echo]]\(Self.reasoning)\n\n\(Self.answer)[[/echo]]", thinking: true)
        #expect(text == Self.reasoning + "\n\n" + Self.answer)
        #expect(summary.finishReason == .stop)
        // Phase 1 ended at </think>; the engine ran phase 2.
        #expect(Simulator.events(from: start).filter { $0.hasPrefix("run ") }.count == 2)
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aPhaseTwoTheRuntimeCutsEndsWithLength(layout: String) async throws {
        let engine = try await load(layout, faults: #""fault_two_phase_thinking":true,"phase2_tokens":4"#)
        let (text, summary) = try await run(
            engine, "Capital of France? [[echo]]\(Self.reasoning)\n\n\(Self.answer)[[/echo]]", thinking: true)
        #expect(text.hasPrefix(Self.reasoning + "\n\n"))
        // Four tokens of answer, 12 bytes: not the whole of it, and not said to be whole.
        #expect(text == Self.reasoning + "\n\n" + Self.answer.prefix(12))
        #expect(summary.finishReason == .length)
        await engine.unload()
    }

    @Test func theEOSIdsComeFromTheSidecarElseTheFamily() throws {
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(
            in: directory, fileName: "Llama-3.2-1B-Instruct-rk3588-w8a8.rkllm", sidecar: #"{"eos_token_ids":[5, 6]}"#)
        let sidecar = try RKLLMSidecar.load(forModelAt: "\(directory)/Llama-3.2-1B-Instruct-rk3588-w8a8.rkllm")
        #expect(sidecar?.eosTokenIDs == [5, 6])
    }
}

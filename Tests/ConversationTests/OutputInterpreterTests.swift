import Conversation
import EngineSupport
import InferenceCore
import InferenceTypes
import Testing

@Suite("The core reads an engine's text as reasoning, answer and tool calls")
struct OutputInterpreterTests {
    static let output =
        "<think>\nThe user wants the weather.\n</think>\n\nChecking.\n<tool_call>\n"
        + #"{"name": "get_weather", "arguments": {"city": "Oslo"}}"# + "\n</tool_call>"

    /// The engine's text cut into pieces at `cuts`, as events ending with a summary of `tokens` tokens.
    static func engineStream(_ text: String, cuts: [Int], tokens: Int) -> [EngineEvent] {
        let characters = Array(text)
        var pieces: [String] = []
        var start = 0
        for cut in cuts.sorted() where cut > start && cut < characters.count {
            pieces.append(String(characters[start..<cut]))
            start = cut
        }
        pieces.append(String(characters[start...]))
        return pieces.map { .text($0) } + [
            .done(
                GenerationSummary(
                    finishReason: .stop, usage: Usage(promptTokens: 5, completionTokens: tokens), timings: Timings()))
        ]
    }

    static func interpreter() -> OutputInterpreter {
        OutputInterpreter(
            reasoning: ReasoningSplitter(),
            toolCalls: ToolCallParser(syntax: .hermes, toolNames: ["get_weather"], idGenerator: { "call_1" }))
    }

    static func collect(_ engineEvents: [EngineEvent], through output: OutputInterpreter) -> (
        reasoning: String, text: String, calls: [ToolCall], summary: GenerationSummary?
    ) {
        var output = output
        let events = engineEvents.flatMap { output.interpret($0) }
        var reasoning = ""
        var text = ""
        var calls: [ToolCall] = []
        var summary: GenerationSummary?
        for event in events {
            switch event {
            case .reasoning(let piece): reasoning += piece
            case .text(let piece): text += piece
            case .toolCall(let call): calls.append(call)
            case .done(let final): summary = final
            case .logprobs: break
            }
        }
        return (reasoning, text, calls, summary)
    }

    @Test(
        "every split of the engine's text gives the same reasoning, answer and call",
        arguments: [[], [1], [3, 7], [9, 10, 11], [30, 38, 40, 41, 42], [55, 58, 60, 70, 90], Array(1..<120)])
    func splitsAtAnyPosition(cuts: [Int]) async throws {
        let pieceCount = cuts.filter { $0 > 0 && $0 < Self.output.count }.count + 1
        let events = Self.collect(
            Self.engineStream(Self.output, cuts: cuts, tokens: pieceCount), through: Self.interpreter())
        let result = events
        #expect(result.reasoning == "The user wants the weather.")
        #expect(result.text == "Checking.\n")
        #expect(result.calls == [ToolCall(id: "call_1", name: "get_weather", arguments: #"{"city":"Oslo"}"#)])
        #expect(result.summary?.finishReason == .toolCalls)
    }

    @Test("reasoning tokens count the engine's pieces that were reasoning")
    func countsReasoningTokens() async throws {
        let text = "<think>a b c</think>Answer"
        // One piece per token: "<think>", "a", " b", " c", "</think>", "Answer".
        let cuts = [7, 8, 10, 12, 20]
        let events = Self.collect(Self.engineStream(text, cuts: cuts, tokens: 6), through: Self.interpreter())
        let result = events
        #expect(result.reasoning == "a b c")
        #expect(result.text == "Answer")
        #expect(result.summary?.usage.reasoningTokens == 5)
        #expect(result.summary?.finishReason == .stop)
    }

    @Test("without parallel calls only the first call is kept")
    func dropsParallelCalls() async throws {
        let call = #"<tool_call>{"name": "get_weather", "arguments": {"city": "A"}}</tool_call>"#
        let events = Self.collect(
            Self.engineStream(call + call.replacing("\"A\"", with: "\"B\""), cuts: [], tokens: 2),
            through: OutputInterpreter(
                toolCalls: ToolCallParser(syntax: .hermes, toolNames: ["get_weather"], idGenerator: { "call_1" }),
                parallelToolCalls: false))
        let result = events
        #expect(result.calls.map(\.arguments) == [#"{"city":"A"}"#])
    }

    @Test("without a splitter or a parser the engine's events pass unchanged")
    func passesThrough() async throws {
        let events = Self.collect(
            Self.engineStream("<think>x</think>y", cuts: [3], tokens: 2), through: OutputInterpreter())
        let result = events
        #expect(result.text == "<think>x</think>y")
        #expect(result.reasoning.isEmpty)
        #expect(result.summary?.usage.reasoningTokens == 0)
    }
}

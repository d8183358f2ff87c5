import Conversation
import EngineSupport
import InferenceTypes
import Testing

@Suite struct ToolCallParserTests {
    /// One representative answer and what the client must receive.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var syntax: ToolCallSyntax
        var output: String
        var expected: [ToolCallParser.Piece]
        var tools: Set<String> = ["get_weather", "get_time"]
        var testDescription: String { "\(syntax): \(name)" }
    }

    /// A call with the id every test parser gives.
    static func call(_ name: String, _ arguments: String, id: String = "call_test") -> ToolCallParser.Piece {
        .toolCall(ToolCall(id: id, name: name, arguments: arguments))
    }

    static let weather = #"{"name": "get_weather", "arguments": {"city": "Paris", "unit": "c"}}"#
    static let time = #"{"name": "get_time", "arguments": {"tz": "UTC"}}"#
    static let weatherCall = call("get_weather", #"{"city":"Paris","unit":"c"}"#)
    static let timeCall = call("get_time", #"{"tz":"UTC"}"#)

    static let hermesCases: [Case] = [
        Case(
            name: "one call", syntax: .hermes, output: "<tool_call>\n\(weather)\n</tool_call>",
            expected: [weatherCall]),
        Case(
            name: "two calls", syntax: .hermes,
            output: "<tool_call>\n\(weather)\n</tool_call>\n<tool_call>\n\(time)\n</tool_call>\n",
            expected: [weatherCall, timeCall]),
        Case(
            name: "text before and after", syntax: .hermes,
            output: "Let me check.\n<tool_call>\(weather)</tool_call>\n\nDone.",
            expected: [.text("Let me check.\n"), weatherCall, .text("Done.")]),
        Case(
            name: "malformed JSON is passed through", syntax: .hermes,
            output: "<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": }\n</tool_call> ok",
            expected: [.text("<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": }\n</tool_call> ok")]),
        Case(
            name: "unknown function is passed through", syntax: .hermes,
            output: #"<tool_call>{"name": "rm_rf", "arguments": {}}</tool_call> then "#,
            expected: [.text(#"<tool_call>{"name": "rm_rf", "arguments": {}}</tool_call> then "#)]),
        Case(
            name: "junk between the JSON and the closing tag", syntax: .hermes,
            output: "<tool_call>\(time) oops</tool_call>",
            expected: [.text("<tool_call>\(time) oops</tool_call>")]),
        Case(
            name: "a valid call right after a malformed one", syntax: .hermes,
            output: #"<tool_call>{"name": "get_time", "arguments": {</tool_call><tool_call>"# + time + "</tool_call>",
            expected: [.text(#"<tool_call>{"name": "get_time", "arguments": {</tool_call>"#), timeCall]),
        Case(
            name: "non-ASCII arguments", syntax: .hermes,
            output:
                #"<tool_call>{"name": "get_weather", "arguments": {"city": "Zürich 🌧", "note": "日本語 é"}}</tool_call>"#,
            expected: [call("get_weather", #"{"city":"Zürich 🌧","note":"日本語 é"}"#)]),
        Case(
            name: "nested values and strings that look like markup", syntax: .hermes,
            output: #"<tool_call>{"name": "get_weather", "arguments": {"q": "a } b </tool_call> c \" d", "#
                + #""list": [1, {"x": [true, null, -2.5e3]}], "s": "{[", "u": "\u00e9"}}</tool_call>"#,
            expected: [
                call(
                    "get_weather",
                    #"{"q":"a } b </tool_call> c \" d","list":[1,{"x":[true,null,-2500.0]}],"s":"{[","u":"é"}"#)
            ]),
        Case(
            name: "arguments as a JSON string, keys kept in order", syntax: .hermes,
            output: #"<tool_call>{"name": "get_time", "arguments": "{\"tz\": \"UTC\", \"a\": 1}"}</tool_call>"#,
            expected: [call("get_time", #"{"tz":"UTC","a":1}"#)]),
        Case(
            name: "the tag in prose", syntax: .hermes, output: "Use the <tool_call> tag, or <tool_call>s.",
            expected: [.text("Use the <tool_call> tag, or <tool_call>s.")]),
        Case(
            name: "no closing tag before the end", syntax: .hermes, output: "<tool_call>\n\(time)\n</tool_",
            expected: [timeCall]),
        Case(
            name: "cut off inside the JSON", syntax: .hermes, output: "<tool_call>\n{\"name\": \"get_ti",
            expected: [.text("<tool_call>\n{\"name\": \"get_ti")]),
        Case(
            name: "a call without arguments", syntax: .hermes, output: #"<tool_call>{"name": "get_time"}</tool_call>"#,
            expected: [call("get_time", "{}")]),
        Case(
            name: "any name when no tools are listed", syntax: .hermes,
            output: #"<tool_call>{"name": "anything", "arguments": {}}</tool_call>"#,
            expected: [call("anything", "{}")], tools: []),
    ]

    static let llamaCases: [Case] = [
        Case(
            name: "one call", syntax: .llama3,
            output: #"{"name": "get_weather", "parameters": {"city": "Paris", "unit": "c"}}"#,
            expected: [weatherCall]),
        Case(
            name: "two calls separated by ';'", syntax: .llama3,
            output: #"{"name": "get_weather", "parameters": {"city": "Paris", "unit": "c"}}; "#
                + #"{"type": "function", "name": "get_time", "parameters": {"tz": "UTC"}}"#,
            expected: [weatherCall, timeCall]),
        Case(
            name: "two calls on separate lines", syntax: .llama3, output: "\(weather)\n\(time)\n",
            expected: [weatherCall, timeCall]),
        Case(
            name: "after the python tag", syntax: .llama3, output: "<|python_tag|>\(time)",
            expected: [timeCall]),
        Case(
            name: "call then text", syntax: .llama3, output: "  \(time)\nThat is all.",
            expected: [timeCall, .text("That is all.")]),
        Case(
            name: "a brace that is not JSON", syntax: .llama3, output: "{not json} at all",
            expected: [.text("{not json} at all")]),
        Case(
            name: "a JSON object that is not a call", syntax: .llama3, output: "{\"answer\": 42}\nok",
            expected: [.text("{\"answer\": 42}\nok")]),
        Case(
            name: "JSON in the middle of text is text", syntax: .llama3, output: "Here: \(time)",
            expected: [.text("Here: \(time)")]),
        Case(
            name: "unknown function", syntax: .llama3, output: #"{"name": "rm_rf", "parameters": {"x": "}"}}"#,
            expected: [.text(#"{"name": "rm_rf", "parameters": {"x": "}"}}"#)]),
        Case(
            name: "a bare object without arguments is text", syntax: .llama3, output: #"{"name": "get_time"}"#,
            expected: [.text(#"{"name": "get_time"}"#)]),
        Case(
            name: "plain answer", syntax: .llama3, output: "The weather is nice.",
            expected: [.text("The weather is nice.")]),
    ]

    static let mistralCases: [Case] = [
        Case(
            name: "one call keeps the model's id", syntax: .mistral,
            output: #"[TOOL_CALLS][{"name": "get_time", "arguments": {"tz": "UTC"}, "id": "abc123def"}]"#,
            expected: [call("get_time", #"{"tz":"UTC"}"#, id: "abc123def")]),
        Case(
            name: "two calls in one array", syntax: .mistral, output: "[TOOL_CALLS] [\(weather), \(time)]",
            expected: [weatherCall, timeCall]),
        Case(
            name: "name and [ARGS] form, two calls", syntax: .mistral,
            output:
                #"[TOOL_CALLS]get_weather[ARGS]{"city": "Paris", "unit": "c"}[TOOL_CALLS]get_time[ARGS]{"tz": "UTC"}"#,
            expected: [weatherCall, timeCall]),
        Case(
            name: "text before a call", syntax: .mistral, output: #"Sure.[TOOL_CALLS]get_time[ARGS]{"tz": "UTC"}"#,
            expected: [.text("Sure."), timeCall]),
        Case(
            name: "call id before [ARGS]", syntax: .mistral,
            output: #"[TOOL_CALLS]get_time[CALL_ID]a1b2c3d4e[ARGS]{"tz": "UTC"}"#,
            expected: [call("get_time", #"{"tz":"UTC"}"#, id: "a1b2c3d4e")]),
        Case(
            name: "array cut off", syntax: .mistral, output: "[TOOL_CALLS][\(weather)",
            expected: [.text("[TOOL_CALLS][\(weather)")]),
        Case(
            name: "unknown function in the array", syntax: .mistral,
            output: #"[TOOL_CALLS][{"name": "rm_rf", "arguments": {}}]"#,
            expected: [.text(#"[TOOL_CALLS][{"name": "rm_rf", "arguments": {}}]"#)]),
        Case(
            name: "the marker in prose", syntax: .mistral, output: "[TOOL_CALLS] is a special token [x].",
            expected: [.text("[TOOL_CALLS] is a special token [x].")]),
    ]

    static let jsonCases: [Case] = [
        Case(name: "one call", syntax: .json, output: "\n\(weather)", expected: [weatherCall]),
        Case(
            name: "an array of two", syntax: .json, output: "[\(weather), \(time)]", expected: [weatherCall, timeCall]),
        Case(
            name: "a JSON answer that is not a call", syntax: .json, output: #"{"name": "Bob", "age": 3}"#,
            expected: [.text(#"{"name": "Bob", "age": 3}"#)]),
        Case(
            name: "a list answer", syntax: .json, output: "[1] Smith, 2020.",
            expected: [.text("[1] Smith, 2020.")]),
        Case(name: "plain answer", syntax: .json, output: "  It is sunny.", expected: [.text("  It is sunny.")]),
    ]

    static let genericCases: [Case] = [
        Case(name: "one call", syntax: .generic, output: #" {"tool_call": \#(weather)}"#, expected: [weatherCall]),
        Case(
            name: "two calls", syntax: .generic, output: #"{"tool_calls": [\#(weather), \#(time)]}"#,
            expected: [weatherCall, timeCall]),
        Case(
            name: "a call of an unknown tool", syntax: .generic,
            output: #"{"tool_call": {"name": "rm_rf", "arguments": {}}}"#,
            expected: [.text(#"{"tool_call": {"name": "rm_rf", "arguments": {}}}"#)]),
        Case(name: "plain answer", syntax: .generic, output: "It is sunny.", expected: [.text("It is sunny.")]),
    ]

    @Test(
        "every split of the answer gives the same text and calls",
        arguments: hermesCases + llamaCases + mistralCases + jsonCases + genericCases)
    func splitsAnywhere(_ testCase: Case) {
        for chunks in cuts(of: testCase.output) {
            var parser = ToolCallParser(syntax: testCase.syntax, toolNames: testCase.tools) { "call_test" }
            var pieces: [ToolCallParser.Piece] = []
            for chunk in chunks { pieces += parser.feed(chunk) }
            pieces += parser.finish()
            // One failure per case: the first split that differs says enough.
            guard !pieces.contains(.text("")), merged(pieces) == testCase.expected else {
                Issue.record("split as \(chunks) gave \(pieces), expected \(testCase.expected)")
                return
            }
        }
    }

    @Test("text that cannot open a call is handed on at once")
    func plainTextIsNotHeld() {
        var parser = ToolCallParser(syntax: .hermes, toolNames: ["get_time"])
        #expect(parser.feed("Hello") == [.text("Hello")])
        #expect(parser.feed(" <tool") == [.text(" ")])
        #expect(parser.feed("box>") == [.text("<toolbox>")])
    }

    @Test("a call is handed on as soon as it is closed")
    func callIsNotHeldUntilTheEnd() {
        var parser = ToolCallParser(syntax: .hermes, toolNames: ["get_time"]) { "call_test" }
        #expect(parser.feed("<tool_call>\(Self.time)") == [])
        #expect(parser.feed("</tool_call>") == [Self.timeCall])
        #expect(parser.feed("\nNext") == [.text("Next")])
    }

    @Test("a bare JSON answer is held only while it can still be a call")
    func bareJSONIsHeldOnlyWhileItCanBeACall() {
        var parser = ToolCallParser(syntax: .llama3, toolNames: ["get_time"])
        #expect(parser.feed("{\"name\"") == [])
        #expect(parser.feed(" oops") == [.text("{\"name\" oops")])

        var prose = ToolCallParser(syntax: .llama3, toolNames: ["get_time"])
        #expect(prose.feed("Sure") == [.text("Sure")])
        #expect(prose.feed(" {") == [.text(" {")])

        var spaced = ToolCallParser(syntax: .json)
        #expect(spaced.feed("  ") == [])
        #expect(spaced.feed("Hi") == [.text("  Hi")])
    }

    @Test("default ids are call_ and 24 letters or digits, different for each call")
    func defaultIDs() {
        var parser = ToolCallParser(syntax: .hermes, toolNames: ["get_time"])
        let pieces = parser.feed("<tool_call>\(Self.time)</tool_call><tool_call>\(Self.time)</tool_call>")
        let ids = pieces.compactMap { piece -> String? in
            if case .toolCall(let call) = piece { return call.id }
            return nil
        }
        #expect(ids.count == 2)
        #expect(Set(ids).count == 2)
        for id in ids {
            #expect(id.hasPrefix("call_"))
            let suffix = id.dropFirst(5)
            #expect(suffix.count == 24 && suffix.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
        }
    }

    @Test("the syntax is picked from the template, else from the architecture")
    func detectsSyntax() {
        let qwen = "{%- if tools %}<tools></tools> ... <tool_call>\\n{\"name\": ...}\\n</tool_call>{%- endif %}"
        #expect(ToolCallSyntax.detect(template: qwen, architecture: "llama") == .hermes)
        #expect(ToolCallSyntax.detect(template: "{{ '[TOOL_CALLS]' + calls }}", architecture: "llama") == .mistral)
        #expect(ToolCallSyntax.detect(template: "{{- '<|python_tag|>' }}", architecture: "qwen2") == .llama3)
        #expect(ToolCallSyntax.detect(template: nil, architecture: "qwen3") == .hermes)
        #expect(ToolCallSyntax.detect(template: nil, architecture: "llama") == .llama3)
        #expect(ToolCallSyntax.detect(template: "{{ messages }}", architecture: "gemma3") == .json)
    }
}

/// Joins neighbouring text pieces, as a client appending deltas sees them.
private func merged(_ pieces: [ToolCallParser.Piece]) -> [ToolCallParser.Piece] {
    var result: [ToolCallParser.Piece] = []
    for piece in pieces {
        if case .text(let next) = piece, case .text(let previous) = result.last {
            result[result.count - 1] = .text(previous + next)
        } else {
            result.append(piece)
        }
    }
    return result
}

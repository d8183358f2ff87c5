import Conversation
import EngineSupport
import InferenceTypes
import Testing

@Suite struct ReasoningSplitterTests {
    /// One representative output and what the client must receive.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var output: String
        var expected: [ReasoningSplitter.Piece]
        var syntax: ReasoningSyntax = .think
        var startsInReasoning = false
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "reasoning then answer", output: "<think>\nI should greet.\n</think>\n\nHello!",
            expected: [.reasoning("I should greet."), .answer("Hello!")]),
        Case(
            name: "only reasoning, never closed", output: "<think>\nStill thinking about it  \n",
            expected: [.reasoning("Still thinking about it")]),
        Case(name: "no tags", output: "Hello, world.", expected: [.answer("Hello, world.")]),
        Case(
            name: "tags in the middle of the text are text", output: "The tag <think>x</think> is literal.",
            expected: [.answer("The tag <think>x</think> is literal.")]),
        Case(
            name: "white space before the start tag", output: "\n\n<think>a</think>b",
            expected: [.reasoning("a"), .answer("b")]),
        Case(name: "leading white space of a plain answer is kept", output: "  Hi\n", expected: [.answer("  Hi\n")]),
        Case(
            name: "empty reasoning (thinking switched off)", output: "<think>\n\n</think>\n\nAnswer",
            expected: [.answer("Answer")]),
        Case(
            name: "a longer tag that starts like the start tag", output: "<thinking>x</thinking>",
            expected: [.answer("<thinking>x</thinking>")]),
        Case(
            name: "HTML at the start of an answer", output: "<b>bold</b> move",
            expected: [.answer("<b>bold</b> move")]),
        Case(
            name: "a partial end tag inside the reasoning", output: "<think>a </th b < c</think>done",
            expected: [.reasoning("a </th b < c"), .answer("done")]),
        Case(
            name: "white space inside reasoning and answer", output: "<think>one\n\ntwo</think>three  four\n",
            expected: [.reasoning("one\n\ntwo"), .answer("three  four\n")]),
        Case(
            name: "non-ASCII text", output: "<think>Überlegung 🤔 é</think>Antwort: 日本語 👍🏽",
            expected: [.reasoning("Überlegung 🤔 é"), .answer("Antwort: 日本語 👍🏽")]),
        Case(
            name: "a second reasoning block right after the first", output: "<think>a</think>\n<think>b</think>\nc",
            expected: [.reasoning("ab"), .answer("c")]),
        Case(
            name: "prompt opened the reasoning", output: "Let me think.\n</think>\n\nDone",
            expected: [.reasoning("Let me think."), .answer("Done")], startsInReasoning: true),
        Case(
            name: "prompt opened the reasoning and the model opens it again", output: "<think>\nA\n</think>B",
            expected: [.reasoning("A"), .answer("B")], startsInReasoning: true),
        Case(
            name: "prompt opened the reasoning, output ends inside it", output: "\nHmm, <thi",
            expected: [.reasoning("Hmm, <thi")], startsInReasoning: true),
        Case(
            name: "bracket syntax", output: "[THINK]plan [x][/THINK]answer [y]",
            expected: [.reasoning("plan [x]"), .answer("answer [y]")], syntax: .bracketThink),
        Case(
            name: "special-token syntax", output: "<|START_THINKING|>plan<|END_THINKING|>answer",
            expected: [.reasoning("plan"), .answer("answer")], syntax: .commandR),
    ]

    @Test("every split of the output gives the same reasoning and answer", arguments: cases)
    func splitsAnywhere(_ testCase: Case) {
        for chunks in cuts(of: testCase.output) {
            var splitter = ReasoningSplitter(syntax: testCase.syntax, startsInReasoning: testCase.startsInReasoning)
            var pieces: [ReasoningSplitter.Piece] = []
            for chunk in chunks { pieces += splitter.feed(chunk) }
            pieces += splitter.finish()
            // One failure per case: the first split that differs says enough.
            guard !pieces.contains(.answer("")), !pieces.contains(.reasoning("")),
                merged(pieces) == testCase.expected
            else {
                Issue.record("split as \(chunks) gave \(pieces), expected \(testCase.expected)")
                return
            }
        }
    }

    @Test("text that cannot start a tag is handed on at once")
    func plainTextIsNotHeld() {
        var splitter = ReasoningSplitter()
        #expect(splitter.feed("Hello") == [.answer("Hello")])
        #expect(splitter.feed(" <think>") == [.answer(" <think>")])
    }

    @Test("only a possible tag is held back, in the reasoning and after it")
    func holdsOnlyATagPrefix() {
        var splitter = ReasoningSplitter()
        #expect(splitter.feed("<thi") == [])
        #expect(splitter.feed("nk>Plan") == [.reasoning("Plan")])
        #expect(splitter.feed(" it<") == [.reasoning(" it")])
        #expect(splitter.feed("b>") == [.reasoning("<b>")])
        #expect(splitter.feed("</thi") == [])
        #expect(splitter.feed("nk>\n\nGo") == [.answer("Go")])
        #expect(splitter.feed(" on") == [.answer(" on")])
        #expect(splitter.finish() == [])
    }

    @Test("when the prompt opened the reasoning, output is reasoning at once")
    func startsInReasoningStreams() {
        var splitter = ReasoningSplitter(startsInReasoning: true)
        #expect(splitter.feed("Pondering") == [.reasoning("Pondering")])
        #expect(splitter.feed("</think>Yes") == [.answer("Yes")])
    }

    @Test("an unclosed start tag at the end is handed on as answer")
    func partialStartTagAtEnd() {
        var splitter = ReasoningSplitter()
        #expect(splitter.feed("<thin") == [])
        #expect(splitter.finish() == [.answer("<thin")])
    }
}

/// Joins neighbouring pieces of the same kind, as a client appending deltas sees them.
private func merged(_ pieces: [ReasoningSplitter.Piece]) -> [ReasoningSplitter.Piece] {
    var result: [ReasoningSplitter.Piece] = []
    for piece in pieces {
        switch (result.last, piece) {
        case (.reasoning(let previous), .reasoning(let next)): result[result.count - 1] = .reasoning(previous + next)
        case (.answer(let previous), .answer(let next)): result[result.count - 1] = .answer(previous + next)
        default: result.append(piece)
        }
    }
    return result
}

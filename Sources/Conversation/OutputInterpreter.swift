public import InferenceTypes
import SchemaGrammar

/// Reads an engine's events the way the model meant them: reasoning split from the answer, tool calls
/// parsed out of it, and the summary completed (reasoning tokens, `tool_calls` as the finish reason).
///
/// Events other than text pass through unchanged; text is handed on as soon as the splitter and the parser
/// can tell what it is.
public struct OutputInterpreter: Sendable {
    private var splitter: ReasoningSplitter?
    private var parser: ToolCallParser?
    private let parallelToolCalls: Bool
    private var toolCallCount = 0
    private var reasoningEvents = 0

    /// Creates an interpreter; without a splitter and a parser, events pass through unchanged.
    ///
    /// - Parameters:
    ///   - reasoning: splits reasoning from the answer, for a model that can think.
    ///   - toolCalls: parses tool calls out of the answer, for a request with tools.
    ///   - parallelToolCalls: when false, calls after the first are dropped.
    public init(reasoning: ReasoningSplitter? = nil, toolCalls: ToolCallParser? = nil, parallelToolCalls: Bool = true) {
        splitter = reasoning
        parser = toolCalls
        self.parallelToolCalls = parallelToolCalls
    }

    /// The events that `event` becomes, in order (none while text is held back).
    public mutating func interpret(_ event: EngineEvent) -> [GenerationEvent] {
        switch event {
        case .text(let text):
            guard splitter != nil || parser != nil else { return [.text(text)] }
            var events: [GenerationEvent] = []
            if var splitter {
                // A piece that opens, continues or closes the reasoning counts as a reasoning token.
                let wasInReasoning = splitter.isInReasoning
                let pieces = splitter.feed(text)
                if wasInReasoning || splitter.isInReasoning || pieces.contains(where: \.isReasoning) {
                    reasoningEvents += 1
                }
                self.splitter = splitter
                route(pieces, into: &events)
            } else {
                answer(text, into: &events)
            }
            return events
        case .done(var summary):
            var events: [GenerationEvent] = []
            if var splitter {
                route(splitter.finish(), into: &events)
                self.splitter = splitter
            }
            if var parser {
                emit(parser.finish(), into: &events)
                self.parser = parser
            }
            if toolCallCount > 0, summary.finishReason == .stop { summary.finishReason = .toolCalls }
            if splitter != nil {
                summary.usage.reasoningTokens = min(reasoningEvents, summary.usage.completionTokens)
            }
            events.append(.done(summary))
            return events
        case .logprobs(let entries):
            return [.logprobs(entries)]
        }
    }

    private mutating func route(_ pieces: [ReasoningSplitter.Piece], into events: inout [GenerationEvent]) {
        for piece in pieces {
            switch piece {
            case .reasoning(let text): events.append(.reasoning(text))
            case .answer(let text): answer(text, into: &events)
            }
        }
    }

    private mutating func answer(_ text: String, into events: inout [GenerationEvent]) {
        guard var parser else {
            events.append(.text(text))
            return
        }
        emit(parser.feed(text), into: &events)
        self.parser = parser
    }

    private mutating func emit(_ pieces: [ToolCallParser.Piece], into events: inout [GenerationEvent]) {
        for piece in pieces {
            switch piece {
            case .text(let text):
                events.append(.text(text))
            case .toolCall(let call):
                guard parallelToolCalls || toolCallCount == 0 else { continue }
                toolCallCount += 1
                events.append(.toolCall(call))
            }
        }
    }
}

extension ReasoningSplitter.Piece {
    fileprivate var isReasoning: Bool {
        if case .reasoning = self { return true }
        return false
    }
}

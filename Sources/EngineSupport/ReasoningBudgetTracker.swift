public import InferenceTypes

/// Counts the tokens a model spends inside its reasoning block and says when a `ReasoningLimit`'s budget is
/// spent, so that the engine can close the block. Fed each generated token's text in order (an empty text
/// for a token that holds part of a character still counts as a token).
public struct ReasoningBudgetTracker: Sendable {
    private enum Phase: Sendable, Equatable {
        case beforeReasoning
        case reasoning(tokens: Int)
        case answering
    }

    /// The limit being enforced.
    public let limit: ReasoningLimit
    private var phase: Phase
    /// The latest text, enough of it to find a tag split over tokens.
    private var recent = ""

    /// Starts counting; inside the reasoning already when the prompt opened it.
    public init(limit: ReasoningLimit) {
        self.limit = limit
        phase = limit.startsInReasoning ? .reasoning(tokens: 0) : .beforeReasoning
    }

    /// Whether the model is inside its reasoning block.
    public var isReasoning: Bool {
        if case .reasoning = phase { return true }
        return false
    }

    /// Takes the next token's text; returns true when the budget is spent with the reasoning still open: the
    /// caller then puts `limit.closing` into the sequence (and the tracker counts the block as closed).
    public mutating func feed(_ text: String) -> Bool {
        switch phase {
        case .answering:
            return false
        case .beforeReasoning:
            guard let after = remember(text, until: limit.start) else { return false }
            // A model that opens the block and closes it in the same token is past it.
            if after.contains(limit.end) {
                phase = .answering
                return false
            }
            phase = .reasoning(tokens: 0)
            recent = String(after)
            return limit.budget == 0
        case .reasoning(let tokens):
            if remember(text, until: limit.end) != nil {
                phase = .answering
                return false
            }
            let spent = tokens + 1
            phase = spent >= limit.budget ? .answering : .reasoning(tokens: spent)
            return spent >= limit.budget
        }
    }

    /// Adds `text` to the recent text; when `tag` is in it, returns what follows the tag.
    private mutating func remember(_ text: String, until tag: String) -> Substring? {
        recent += text
        if let range = recent.ranges(of: tag).first {
            let after = recent[range.upperBound...]
            recent = ""
            return after
        }
        let keep = max(limit.start.count, limit.end.count)
        if recent.count > keep { recent = String(recent.suffix(keep)) }
        return nil
    }
}

import InferenceTypes
import SchemaGrammar

/// Splits a model's streamed output into its reasoning (the text between its thinking tags) and its answer.
///
/// The start tag counts only at the beginning of the output, after optional white space, as llama.cpp and
/// Ollama read it; a tag later in the text is part of the answer. White space right after either tag and
/// at the end of the reasoning is dropped. Text is handed on as soon as it cannot be part of a tag; only a
/// possible tag prefix (and, inside the reasoning, the white space before it) is held back.
public struct ReasoningSplitter: Sendable {
    /// A piece of the output, never empty.
    public enum Piece: Sendable, Equatable {
        /// Part of the model's reasoning.
        case reasoning(String)
        /// Part of the answer.
        case answer(String)
    }

    /// Where in the output the splitter is.
    private enum State: Sendable {
        /// Before anything but white space: a start tag may still come. `Opening` says what comes next if not.
        case opening(Opening)
        /// Inside the reasoning; `atStart` while white space after the start tag is being dropped.
        case reasoning(atStart: Bool)
        /// In the answer, where every piece passes through.
        case answer
    }

    private enum Opening: Sendable {
        /// The beginning of the output: without a start tag it is all answer, leading white space included.
        case output
        /// The prompt opened the reasoning: without a start tag the text is reasoning.
        case forcedReasoning
        /// Right after an end tag: another reasoning block may follow, else the answer (white space dropped).
        case afterReasoning
    }

    private let start: TextMarker
    private let end: TextMarker
    private var state: State
    private var held: [Unicode.Scalar] = []

    /// Creates a splitter.
    ///
    /// - Parameters:
    ///   - syntax: the model's thinking tags.
    ///   - startsInReasoning: whether the prompt already opened the reasoning (templates that end the prompt
    ///     with `<think>\n`); the output is then reasoning until the end tag. A start tag the model writes
    ///     anyway at the beginning is dropped.
    public init(syntax: ReasoningSyntax = .think, startsInReasoning: Bool = false) {
        start = TextMarker(syntax.start)
        end = TextMarker(syntax.end)
        state = .opening(startsInReasoning ? .forcedReasoning : .output)
    }

    /// Whether the output read so far ends inside the reasoning (its end tag has not come yet).
    public var isInReasoning: Bool {
        switch state {
        case .reasoning, .opening(.forcedReasoning): true
        case .opening, .answer: false
        }
    }

    /// Feeds the next piece of output and returns what can be handed on now.
    public mutating func feed(_ text: String) -> [Piece] {
        held.append(contentsOf: text.unicodeScalars)
        return process(final: false)
    }

    /// Ends the output and returns what was held back. Reasoning whose end tag never came stays reasoning.
    public mutating func finish() -> [Piece] {
        process(final: true)
    }

    private mutating func process(final: Bool) -> [Piece] {
        var pieces: [Piece] = []
        loop: while true {
            switch state {
            case .opening(let opening):
                var spaces = 0
                while spaces < held.count, held[spaces].isSpace { spaces += 1 }
                switch start.match(in: held, at: spaces) {
                case .full:
                    held.removeFirst(spaces + start.count)
                    state = .reasoning(atStart: true)
                case .partial where !final:
                    break loop
                case .partial, .none:
                    switch opening {
                    case .output:
                        state = .answer
                    case .forcedReasoning:
                        held.removeFirst(spaces)
                        state = .reasoning(atStart: false)
                    case .afterReasoning:
                        held.removeFirst(spaces)
                        state = .answer
                    }
                }
            case .reasoning(let atStart):
                if atStart {
                    let spaces = held.prefix { $0.isSpace }.count
                    held.removeFirst(spaces)
                    guard !held.isEmpty else { break loop }
                    state = .reasoning(atStart: false)
                }
                if let index = end.firstMatch(in: held) {
                    Self.append(.reasoning(Self.trimmingTrailingSpace(held[..<index])), to: &pieces)
                    held.removeFirst(index + end.count)
                    state = .opening(.afterReasoning)
                    continue
                }
                if final {
                    Self.append(.reasoning(Self.trimmingTrailingSpace(held[...])), to: &pieces)
                    held.removeAll()
                    break loop
                }
                var cut = held.count - end.partialSuffixLength(of: held)
                while cut > 0, held[cut - 1].isSpace { cut -= 1 }
                Self.append(.reasoning(String(scalars: held[..<cut])), to: &pieces)
                held.removeFirst(cut)
                break loop
            case .answer:
                Self.append(.answer(String(scalars: held)), to: &pieces)
                held.removeAll()
                break loop
            }
        }
        return pieces
    }

    private static func trimmingTrailingSpace(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var end = scalars.endIndex
        while end > scalars.startIndex, scalars[end - 1].isSpace { end -= 1 }
        return String(scalars: scalars[..<end])
    }

    /// Adds a piece, dropping it when empty and joining it to the previous one when they are of a kind.
    private static func append(_ piece: Piece, to pieces: inout [Piece]) {
        switch (pieces.last, piece) {
        case (_, .reasoning("")), (_, .answer("")):
            return
        case (.reasoning(let previous), .reasoning(let next)):
            pieces[pieces.count - 1] = .reasoning(previous + next)
        case (.answer(let previous), .answer(let next)):
            pieces[pieces.count - 1] = .answer(previous + next)
        default:
            pieces.append(piece)
        }
    }
}

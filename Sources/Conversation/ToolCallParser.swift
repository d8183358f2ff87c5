public import InferenceTypes
import OrderedJSON
import SchemaGrammar

/// Splits the answer a model streams into text and complete tool calls, in the model family's syntax.
///
/// Text outside calls is handed on as it comes; only what could still open a call is held back (a prefix of
/// the syntax's marker, or, for `llama3` and `json`, an answer that starts with `{` until it is clearly not
/// a call or is complete). What turns out not to be a call (malformed JSON, an unknown function) is handed on
/// as the text it was, so nothing is lost. White space between calls is dropped.
public struct ToolCallParser: Sendable {
    /// A piece of the answer.
    public enum Piece: Sendable, Equatable {
        /// Text, never empty.
        case text(String)
        /// A complete call.
        case toolCall(ToolCall)
    }

    /// What the text mode has seen since the answer began or the last call ended.
    private enum Leading: Sendable, Equatable {
        /// Only white space since the answer began: a bare JSON call may still start here.
        case answerStart
        /// Only white space (or `;`) since a call: another call may follow, the separator is dropped.
        case afterCall
        /// Ordinary text.
        case none
    }

    private let syntax: ToolCallSyntax
    private let decoder: ToolCallDecoder
    private let opening: TextMarker?
    private let closing = TextMarker("</tool_call>")
    private let argumentsMarker = TextMarker("[ARGS]")
    private let callIDMarker = TextMarker("[CALL_ID]")
    private var held: [Unicode.Scalar] = []
    private var leading = Leading.answerStart
    private var candidate: ToolCallCandidate?

    /// Creates a parser.
    ///
    /// - Parameters:
    ///   - syntax: how the model writes calls.
    ///   - toolNames: the functions the request offered; a call to any other name is text. Empty accepts any.
    ///   - idGenerator: makes each call's id; `"call_"` and 24 random letters and digits by default.
    public init(
        syntax: ToolCallSyntax, toolNames: Set<String> = [],
        idGenerator: @escaping @Sendable () -> String = ToolCallParser.randomID
    ) {
        self.syntax = syntax
        decoder = ToolCallDecoder(toolNames: toolNames, makeID: idGenerator)
        opening =
            switch syntax {
            case .hermes: TextMarker("<tool_call>")
            case .llama3: TextMarker("<|python_tag|>")
            case .mistral: TextMarker("[TOOL_CALLS]")
            case .json, .generic: nil
            }
    }

    /// A new call id: `call_` and 24 random letters and digits.
    public static func randomID() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return "call_" + String((0..<24).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    /// Feeds the next piece of the answer and returns what can be handed on now.
    public mutating func feed(_ text: String) -> [Piece] {
        held.append(contentsOf: text.unicodeScalars)
        return process(final: false)
    }

    /// Ends the answer: a call whose JSON is complete but whose closing tag never came still counts;
    /// anything else held back is handed on as text.
    public mutating func finish() -> [Piece] {
        process(final: true)
    }

    private mutating func process(final: Bool) -> [Piece] {
        var pieces: [Piece] = []
        while true {
            let progressed =
                if var current = candidate {
                    stepCall(&current, final: final, into: &pieces)
                } else {
                    stepText(final: final, into: &pieces)
                }
            if !progressed { return pieces }
        }
    }

    // MARK: Text

    /// Hands on text up to the next possible call; returns whether it started one (so there is more to do).
    private mutating func stepText(final: Bool, into pieces: inout [Piece]) -> Bool {
        if leading != .none {
            var index = 0
            while index < held.count, held[index].isSpace || (leading == .afterCall && isSeparator(held[index])) {
                index += 1
            }
            if index == held.count {
                guard final else { return false }
                if leading == .answerStart { Self.append(.text(String(scalars: held)), to: &pieces) }
                held.removeAll()
                return false
            }
            if opensBareCall(held[index]) {
                candidate = ToolCallCandidate(kind: .bare, phase: .json(start: index), cursor: index)
                return true
            }
            if let opening {
                switch opening.match(in: held, at: index) {
                case .full:
                    candidate = ToolCallCandidate(kind: markedCallKind, phase: .seekJSON, cursor: index + opening.count)
                    return true
                case .partial where !final:
                    return false
                case .partial, .none:
                    break
                }
            }
            if leading == .afterCall { held.removeFirst(index) }
            leading = .none
        }
        if let opening, let index = opening.firstMatch(in: held) {
            Self.append(.text(String(scalars: held[..<index])), to: &pieces)
            held.removeFirst(index)
            candidate = ToolCallCandidate(kind: markedCallKind, phase: .seekJSON, cursor: opening.count)
            return true
        }
        let keep = final ? 0 : (opening?.partialSuffixLength(of: held) ?? 0)
        Self.append(.text(String(scalars: held[..<(held.count - keep)])), to: &pieces)
        held.removeFirst(held.count - keep)
        return false
    }

    /// How a call that starts with this syntax's marker is written.
    private var markedCallKind: ToolCallCandidate.Kind {
        switch syntax {
        case .hermes: .tagged
        case .llama3: .pythonTag
        case .mistral: .bracketed
        case .json, .generic: .bare
        }
    }

    private func opensBareCall(_ scalar: Unicode.Scalar) -> Bool {
        switch syntax {
        case .llama3, .generic: scalar == "{"
        case .json: scalar == "{" || scalar == "["
        case .hermes, .mistral: false
        }
    }

    private func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        scalar == ";" && (syntax == .llama3 || syntax == .json)
    }

    // MARK: Calls

    /// Reads on in the call being parsed; returns whether it ended (as calls or as text).
    private mutating func stepCall(_ call: inout ToolCallCandidate, final: Bool, into pieces: inout [Piece]) -> Bool {
        while true {
            switch call.phase {
            case .seekJSON:
                while call.cursor < held.count, held[call.cursor].isSpace { call.cursor += 1 }
                guard call.cursor < held.count else { return wait(call, final: final, into: &pieces) }
                let scalar = held[call.cursor]
                if scalar == "{" || (scalar == "[" && call.kind == .bracketed && call.header == nil) {
                    call.phase = .json(start: call.cursor)
                } else if call.kind == .bracketed, call.header == nil {
                    call.phase = .header(start: call.cursor)
                } else {
                    return reject(upTo: call.cursor, into: &pieces)
                }
            case .header(let start):
                if let end = argumentsMarker.firstMatch(in: held, from: start) {
                    guard let header = parseHeader(held[start..<end]) else { return reject(upTo: start, into: &pieces) }
                    call.header = header
                    call.cursor = end + argumentsMarker.count
                    call.phase = .seekJSON
                    continue
                }
                let tooLong = held.count - start > 256
                let impossible = held[start...].contains { $0.isSpace || "{}\"".unicodeScalars.contains($0) }
                if final || tooLong || impossible { return reject(upTo: start, into: &pieces) }
                candidate = call
                return false
            case .json(let start):
                while call.cursor < held.count {
                    let verdict = call.scanner.feed(held[call.cursor])
                    if verdict == .invalid { return reject(upTo: call.cursor, into: &pieces) }
                    call.cursor += 1
                    guard verdict == .complete else { continue }
                    guard let value = try? JSONValue(parsing: String(scalars: held[start..<call.cursor])) else {
                        return reject(upTo: call.cursor, into: &pieces)
                    }
                    call.value = value
                    if call.kind == .tagged {
                        call.phase = .closingTag
                        break
                    }
                    return accept(call, upTo: call.cursor, into: &pieces)
                }
                if call.phase == .closingTag { continue }
                return wait(call, final: final, into: &pieces)
            case .closingTag:
                while call.cursor < held.count, held[call.cursor].isSpace { call.cursor += 1 }
                switch closing.match(in: held, at: call.cursor) {
                case .full:
                    return accept(call, upTo: call.cursor + closing.count, into: &pieces)
                case .partial where final:
                    return accept(call, upTo: held.count, into: &pieces)
                case .partial:
                    candidate = call
                    return false
                case .none:
                    return reject(upTo: call.cursor, into: &pieces)
                }
            }
        }
    }

    /// Keeps the call for the next piece, or at the end of the answer hands it on as text.
    private mutating func wait(_ call: ToolCallCandidate, final: Bool, into pieces: inout [Piece]) -> Bool {
        guard final else {
            candidate = call
            return false
        }
        return reject(upTo: held.count, into: &pieces)
    }

    /// Ends the call: its calls are handed on, or its text when it is not a call of one of the tools.
    private mutating func accept(_ call: ToolCallCandidate, upTo end: Int, into pieces: inout [Piece]) -> Bool {
        guard let calls = calls(from: call) else { return reject(upTo: end, into: &pieces) }
        for toolCall in calls { pieces.append(.toolCall(toolCall)) }
        held.removeFirst(end)
        candidate = nil
        leading = .afterCall
        return true
    }

    /// Hands on the text of a would-be call up to `end` and reads on from there as text.
    private mutating func reject(upTo end: Int, into pieces: inout [Piece]) -> Bool {
        Self.append(.text(String(scalars: held[..<end])), to: &pieces)
        held.removeFirst(end)
        candidate = nil
        leading = .none
        return true
    }

    private func calls(from call: ToolCallCandidate) -> [ToolCall]? {
        guard let value = call.value else { return nil }
        switch call.kind {
        case .tagged, .pythonTag:
            return decoder.call(fromObject: value).map { [$0] }
        case .bare where syntax == .generic:
            return decoder.calls(fromGeneric: value)
        case .bare:
            if value.arrayValue != nil { return decoder.calls(fromArray: value, requiresArguments: true) }
            return decoder.call(fromObject: value, requiresArguments: true).map { [$0] }
        case .bracketed:
            if let header = call.header {
                return decoder.call(name: header.name, arguments: value, id: header.id).map { [$0] }
            }
            return decoder.calls(fromArray: value, keepsModelID: true)
        }
    }

    /// Mistral's `name[CALL_ID]id` before `[ARGS]`; `nil` when the name is not a plain identifier.
    private func parseHeader(_ scalars: ArraySlice<Unicode.Scalar>) -> (name: String, id: String?)? {
        let text = Array(scalars)
        var name = text[...]
        var id: String?
        if let index = callIDMarker.firstMatch(in: text) {
            name = text[..<index]
            id = String(scalars: text[(index + callIDMarker.count)...])
        }
        let allowed = { (scalar: Unicode.Scalar) in
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || "_-.".unicodeScalars.contains(scalar)
        }
        guard !name.isEmpty, name.allSatisfy(allowed), id.map({ $0.unicodeScalars.allSatisfy(allowed) }) ?? true
        else { return nil }
        return (String(scalars: name), id)
    }

    /// Adds a piece, dropping empty text and joining text to text before it.
    private static func append(_ piece: Piece, to pieces: inout [Piece]) {
        guard case .text(let next) = piece else {
            pieces.append(piece)
            return
        }
        guard !next.isEmpty else { return }
        if case .text(let previous) = pieces.last {
            pieces[pieces.count - 1] = .text(previous + next)
        } else {
            pieces.append(piece)
        }
    }
}

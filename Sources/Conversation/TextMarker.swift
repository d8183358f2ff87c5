import InferenceTypes
import SchemaGrammar

/// A fixed piece of text, such as `<think>` or `<tool_call>`, looked for in text that arrives piece by piece.
///
/// Text is compared one Unicode scalar at a time, so a marker is found the same way wherever the text was split.
struct TextMarker: Sendable, Hashable {
    /// How a marker compares with the text at one position.
    enum Match: Equatable {
        /// The whole marker is there.
        case full
        /// The text ends before the marker does, and what is there agrees with it.
        case partial
        /// The text differs from the marker.
        case none
    }

    /// The marker's scalars.
    let scalars: [Unicode.Scalar]

    /// Creates a marker.
    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// The marker's length in scalars.
    var count: Int { scalars.count }

    /// How the marker compares with `text` starting at `index`.
    func match(in text: [Unicode.Scalar], at index: Int) -> Match {
        var offset = 0
        while offset < scalars.count {
            guard index + offset < text.count else { return .partial }
            guard text[index + offset] == scalars[offset] else { return .none }
            offset += 1
        }
        return .full
    }

    /// The index of the first whole occurrence of the marker in `text` at or after `start`.
    func firstMatch(in text: [Unicode.Scalar], from start: Int = 0) -> Int? {
        guard !scalars.isEmpty, text.count >= scalars.count else { return nil }
        var index = start
        while index <= text.count - scalars.count {
            if match(in: text, at: index) == .full { return index }
            index += 1
        }
        return nil
    }

    /// The length of the longest end of `text` (from `start` on) that the marker begins with but that is
    /// shorter than the marker: the part to hold back because the next piece may complete the marker.
    func partialSuffixLength(of text: [Unicode.Scalar], from start: Int = 0) -> Int {
        var length = min(scalars.count - 1, text.count - start)
        while length > 0 {
            if match(in: text, at: text.count - length) == .partial { return length }
            length -= 1
        }
        return 0
    }
}

extension Unicode.Scalar {
    /// Whether the scalar is white space in Unicode's sense (spaces, tabs, line breaks).
    var isSpace: Bool { properties.isWhitespace }
}

extension String {
    /// Text made of scalars.
    init(scalars: some Sequence<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self.init(view)
    }
}

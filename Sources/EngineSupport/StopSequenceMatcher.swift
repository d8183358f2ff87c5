import FoundationEssentials
import InferenceTypes

/// Finds stop strings in generated text that arrives piece by piece, holding back only the text that
/// could still turn out to be the start of a stop string.
public struct StopSequenceMatcher: Sendable {
    /// What to do with a piece of text.
    public struct Outcome: Sendable, Equatable {
        /// Text that is safe to send on.
        public var text: String
        /// The stop string that was found, when one was; the text before it is in `text`, the rest is dropped.
        public var stop: String?

        /// Whether a stop string was found.
        public var stopped: Bool { stop != nil }

        /// Creates an outcome.
        public init(text: String, stop: String? = nil) {
            self.text = text
            self.stop = stop
        }
    }

    private let stops: [String]
    private var held = ""

    /// Creates a matcher; empty strings are ignored.
    public init(stops: [String]) {
        self.stops = stops.filter { !$0.isEmpty }
    }

    /// Feeds the next piece of text.
    public mutating func feed(_ piece: String) -> Outcome {
        guard !stops.isEmpty else { return Outcome(text: piece) }
        held += piece
        let found = stops.compactMap { stop in held.firstRange(of: stop).map { (range: $0, stop: stop) } }
        if let first = found.min(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            let text = String(held[..<first.range.lowerBound])
            held = ""
            return Outcome(text: text, stop: first.stop)
        }
        let keep = longestSuffixThatStartsAStop()
        let cut = held.index(held.endIndex, offsetBy: -keep)
        let text = String(held[..<cut])
        held = String(held[cut...])
        return Outcome(text: text)
    }

    /// Returns the held-back text at the end of the generation.
    public mutating func flush() -> String {
        defer { held = "" }
        return held
    }

    /// The length, in characters, of the longest suffix of the held text that is a proper prefix of a stop.
    private func longestSuffixThatStartsAStop() -> Int {
        var best = 0
        for stop in stops {
            var length = min(stop.count - 1, held.count)
            while length > best {
                if held.hasSuffix(stop.prefix(length)) {
                    best = length
                    break
                }
                length -= 1
            }
        }
        return best
    }
}

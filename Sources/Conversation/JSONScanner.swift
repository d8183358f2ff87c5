import InferenceTypes
import SchemaGrammar

/// Follows JSON text one Unicode scalar at a time and tells when an object or array is complete, or that the
/// text can no longer be one.
///
/// It checks the structure only (brackets, strings, escapes, separators); numbers are checked by the real
/// parser once the value is complete. Scanning is incremental, so text that arrives in pieces is read once.
struct JSONScanner: Sendable {
    /// What the text read so far is.
    enum Verdict: Equatable {
        /// A prefix of an object or array.
        case needsMore
        /// A whole object or array, ending with the last scalar read.
        case complete
        /// Not JSON; the last scalar read is where it went wrong.
        case invalid
    }

    private enum State: Equatable {
        case value, valueOrClose, key, keyOrClose, colon, afterValue, number, done
        case string(isKey: Bool)
        case escape(isKey: Bool)
        case unicodeEscape(isKey: Bool, digitsLeft: Int)
        case literal(rest: [Unicode.Scalar])
    }

    private var state = State.value
    /// Open containers, innermost last: `true` for an object.
    private var containers: [Bool] = []

    /// Creates a scanner that expects an object or an array.
    init() {}

    /// Reads one more scalar.
    mutating func feed(_ scalar: Unicode.Scalar) -> Verdict {
        switch state {
        case .done:
            return .invalid
        case .string(let isKey):
            switch scalar {
            case "\"": state = isKey ? .colon : .afterValue
            case "\\": state = .escape(isKey: isKey)
            default: if scalar.value < 0x20 { return .invalid }
            }
            return .needsMore
        case .escape(let isKey):
            switch scalar {
            case "u": state = .unicodeEscape(isKey: isKey, digitsLeft: 4)
            case "\"", "\\", "/", "b", "f", "n", "r", "t": state = .string(isKey: isKey)
            default: return .invalid
            }
            return .needsMore
        case .unicodeEscape(let isKey, let digitsLeft):
            guard scalar.properties.isASCIIHexDigit else { return .invalid }
            state = digitsLeft == 1 ? .string(isKey: isKey) : .unicodeEscape(isKey: isKey, digitsLeft: digitsLeft - 1)
            return .needsMore
        case .number:
            if "0123456789+-.eE".unicodeScalars.contains(scalar) { return .needsMore }
            state = .afterValue
            return feed(scalar)
        case .literal(var rest):
            guard scalar == rest.first else { return .invalid }
            rest.removeFirst()
            state = rest.isEmpty ? .afterValue : .literal(rest: rest)
            return .needsMore
        case .value, .valueOrClose:
            if Self.isSpace(scalar) { return .needsMore }
            if state == .valueOrClose, scalar == "]" { return close() }
            return beginValue(scalar)
        case .key, .keyOrClose:
            if Self.isSpace(scalar) { return .needsMore }
            if state == .keyOrClose, scalar == "}" { return close() }
            guard scalar == "\"" else { return .invalid }
            state = .string(isKey: true)
            return .needsMore
        case .colon:
            if Self.isSpace(scalar) { return .needsMore }
            guard scalar == ":" else { return .invalid }
            state = .value
            return .needsMore
        case .afterValue:
            if Self.isSpace(scalar) { return .needsMore }
            guard let inObject = containers.last else { return .invalid }
            switch scalar {
            case ",":
                state = inObject ? .key : .value
                return .needsMore
            case "}" where inObject, "]" where !inObject:
                return close()
            default:
                return .invalid
            }
        }
    }

    private mutating func beginValue(_ scalar: Unicode.Scalar) -> Verdict {
        switch scalar {
        case "{":
            containers.append(true)
            state = .keyOrClose
            return .needsMore
        case "[":
            containers.append(false)
            state = .valueOrClose
            return .needsMore
        case _ where containers.isEmpty:
            return .invalid
        case "\"": state = .string(isKey: false)
        case "-", "0"..."9": state = .number
        case "t": state = .literal(rest: Array("rue".unicodeScalars))
        case "f": state = .literal(rest: Array("alse".unicodeScalars))
        case "n": state = .literal(rest: Array("ull".unicodeScalars))
        default: return .invalid
        }
        return .needsMore
    }

    private mutating func close() -> Verdict {
        containers.removeLast()
        if containers.isEmpty {
            state = .done
            return .complete
        }
        state = .afterValue
        return .needsMore
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r"
    }
}

import Conversation
import EngineSupport
import InferenceTypes
import ModelStore
import SchemaGrammar

/// How long a model stays loaded after its last use, with Ollama's `keep_alive` semantics: a number is
/// seconds, a string is a Go duration (`"10m"`, `"1h30m"`, `"300ms"`), a negative value keeps the model
/// loaded forever, zero unloads it as soon as the current request ends.
public enum KeepAlive: Sendable, Equatable, CustomStringConvertible {
    /// Never unload.
    case forever
    /// Unload this many seconds after the last use (0: right after it).
    case seconds(Double)

    /// Ollama's default: 5 minutes.
    public static let defaultValue = KeepAlive.seconds(300)

    /// From a JSON number of seconds.
    public init(seconds: Double) {
        self = seconds < 0 ? .forever : .seconds(seconds)
    }

    /// From a duration string; `nil` when it is not one (a bare `"3600"` has no unit and is refused, as in
    /// Ollama, except `"0"` and negative numbers).
    public init?(duration text: String) {
        let text = text.trimmingPrefix(" ")
        guard !text.isEmpty else { return nil }
        if let number = Double(text), number <= 0 {
            self.init(seconds: number)
            return
        }
        var negative = false
        var rest = Substring(text)
        if rest.first == "-" {
            negative = true
            rest = rest.dropFirst()
        }
        let units: [(String, Double)] = [
            ("ms", 0.001), ("us", 1e-6), ("µs", 1e-6), ("ns", 1e-9), ("h", 3600), ("m", 60), ("s", 1),
        ]
        var total = 0.0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard !digits.isEmpty, let value = Double(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        self.init(seconds: negative ? -total : total)
    }

    public var description: String {
        switch self {
        case .forever: "forever"
        case .seconds(let seconds): "\(seconds)s"
        }
    }
}

/// Why a template could not be parsed or rendered.
///
/// A template that calls `raise_exception("...")` fails with `kind == .raised` and exactly that message, so a
/// caller can tell a template's own refusal (a bad conversation) from a broken or unsupported template.
public struct JinjaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Kind: Sendable, Hashable {
        /// The template text is not valid Jinja.
        case syntax
        /// The template uses a construct this engine does not implement; reported when parsing.
        case unsupported
        /// Rendering failed: a type error, an undefined value used in arithmetic, ...
        case runtime
        /// The template called `raise_exception(message)`.
        case raised
        /// The template ran past one of its budgets (output size, time, work, nesting, ...).
        case budgetExceeded(JinjaBudget)
        /// The caller asked the render to stop.
        case cancelled
    }

    /// What kind of failure this is.
    public var kind: Kind
    /// What went wrong; for `.raised`, the template's own message.
    public var message: String
    /// The 1-based line of the template where it happened, when known.
    public var line: Int?

    /// Creates an error.
    public init(_ kind: Kind, _ message: String, line: Int? = nil) {
        self.kind = kind
        self.message = message
        self.line = line
    }

    /// A template that ran past `budget`, where it was when it did.
    public static func exceeded(_ budget: JinjaBudget, line: Int? = nil) -> JinjaError {
        JinjaError(.budgetExceeded(budget), "the template exceeded its \(budget)", line: line)
    }

    /// The budget the template ran past, for `.budgetExceeded`.
    public var budget: JinjaBudget? {
        if case .budgetExceeded(let budget) = kind { return budget }
        return nil
    }

    /// True when the template itself called `raise_exception`.
    public var isRaisedByTemplate: Bool { kind == .raised }

    /// The message, with the line when known (a raised message is returned as the template wrote it).
    public var description: String {
        guard kind != .raised, let line else { return message }
        return "\(message) (template line \(line))"
    }
}

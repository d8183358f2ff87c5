/// One of the limits that keep an untrusted chat template from taking the server's memory, time or stack.
///
/// Its description names the limit with its size ("output budget of 4 MiB"), so an error can say which one a
/// template ran past.
public enum JinjaBudget: Sendable, Hashable, CustomStringConvertible {
    /// The size of the template's source text.
    case sourceSize(bytes: Int)
    /// How deeply expressions and blocks nest in the source.
    case nesting(levels: Int)
    /// The size of the rendered text, captured macro and block output included.
    case output(bytes: Int)
    /// The size of any one string the template builds (`~`, `+`, `*`, `join`, `replace`, `indent`, ...).
    case stringSize(bytes: Int)
    /// The items of any one list the template builds (`+`, `*`, `batch`, a string's characters, `split`).
    case listSize(items: Int)
    /// The items of one `range()`, as Python's sandbox limits it.
    case range(items: Int)
    /// Steps of work: statements, loop iterations, calls, and the items and bytes builtins go through.
    case work(steps: Int)
    /// Wall time of one render.
    case time(milliseconds: Int)
    /// Nested macro calls.
    case recursion(calls: Int)
    /// How deeply evaluation nests, and how deeply the values a template builds nest.
    case depth(levels: Int)

    /// The limit with its size, e.g. "output budget of 4 MiB".
    public var description: String {
        switch self {
        case .sourceSize(let bytes): "source size budget of \(Self.bytes(bytes))"
        case .nesting(let levels): "nesting limit of \(levels) levels"
        case .output(let bytes): "output budget of \(Self.bytes(bytes))"
        case .stringSize(let bytes): "string size budget of \(Self.bytes(bytes))"
        case .listSize(let items): "list size budget of \(items) items"
        case .range(let items): "range budget of \(items) items"
        case .work(let steps): "work budget of \(steps) steps"
        case .time(let milliseconds):
            milliseconds % 1000 == 0 ? "time budget of \(milliseconds / 1000) s" : "time budget of \(milliseconds) ms"
        case .recursion(let calls): "recursion budget of \(calls) nested macro calls"
        case .depth(let levels): "depth budget of \(levels) levels"
        }
    }

    static func bytes(_ count: Int) -> String {
        if count >= 1 << 20, count % (1 << 20) == 0 { return "\(count >> 20) MiB" }
        if count >= 1 << 10, count % (1 << 10) == 0 { return "\(count >> 10) KiB" }
        return "\(count) bytes"
    }
}

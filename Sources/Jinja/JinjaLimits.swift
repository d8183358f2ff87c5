/// The budgets one render runs under; every one fails the render with a `JinjaError` of kind
/// `.budgetExceeded` naming it, checked before the oversized thing is built.
///
/// The defaults sit far above what real chat templates need and far below what would hurt a small board:
/// a 128k-token prompt is about 0.5 MB of text, so 4 MiB of output leaves eight times that; real templates
/// nest fewer than 20 levels, build lists of messages and tools, and take well under a million steps and a
/// few milliseconds for long conversations.
public struct JinjaLimits: Sendable, Hashable {
    /// The largest rendered text, in UTF-8 bytes (captured macro and `set` block output counts too).
    public var maxOutputBytes: Int
    /// The largest single string a template may build, in UTF-8 bytes.
    public var maxStringBytes: Int
    /// The most items of a single list a template may build.
    public var maxListItems: Int
    /// The most items of one `range()` (Python's sandbox allows 100000).
    public var maxRange: Int
    /// The most steps of work: statements, loop iterations, calls, and items and bytes builtins process.
    public var maxSteps: Int
    /// The longest one render may take.
    public var timeLimit: Duration
    /// The deepest nesting of macro calls.
    public var maxCallDepth: Int
    /// The deepest nesting of evaluation, and of the lists and dicts a template builds.
    public var maxDepth: Int

    /// Creates limits; every argument has a default that suits chat templates.
    public init(
        maxOutputBytes: Int = 4 << 20, maxStringBytes: Int = 4 << 20, maxListItems: Int = 100_000,
        maxRange: Int = 100_000, maxSteps: Int = 5_000_000, timeLimit: Duration = .seconds(2),
        maxCallDepth: Int = 50, maxDepth: Int = 400
    ) {
        self.maxOutputBytes = maxOutputBytes
        self.maxStringBytes = maxStringBytes
        self.maxListItems = maxListItems
        self.maxRange = maxRange
        self.maxSteps = maxSteps
        self.timeLimit = timeLimit
        self.maxCallDepth = maxCallDepth
        self.maxDepth = maxDepth
    }

    /// The deepest nesting of expressions, and of blocks, the parser accepts.
    public static let maxNesting = 100
    /// The largest template source the parser accepts, in UTF-8 bytes.
    public static let maxSourceBytes = 1 << 20
}

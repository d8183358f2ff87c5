/// Counts one render's work against its budgets and checks, every few steps, its deadline and whether the
/// caller asked it to stop. A class so the renderer's non-mutating helpers can charge it too; one render
/// owns it, on one thread.
final class RenderMeter {
    /// Steps between two looks at the clock and the cancellation check.
    static let checkInterval = 32

    let limits: JinjaLimits
    let isCancelled: (@Sendable () -> Bool)?
    let deadline: ContinuousClock.Instant
    let timeLimitMilliseconds: Int
    private(set) var steps = 0
    private var nextCheck = RenderMeter.checkInterval

    init(limits: JinjaLimits, isCancelled: (@Sendable () -> Bool)?) {
        self.limits = limits
        self.isCancelled = isCancelled
        deadline = ContinuousClock.now.advanced(by: limits.timeLimit)
        let (seconds, attoseconds) = limits.timeLimit.components
        timeLimitMilliseconds = Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// Counts `cost` steps of work; fails when the work, time or cancellation says the render must stop.
    func charge(_ cost: Int = 1, line: Int?) throws(JinjaError) {
        steps = steps &+ max(1, cost)
        guard steps >= nextCheck else { return }
        nextCheck = steps + Self.checkInterval
        if steps > limits.maxSteps || steps < 0 { throw .exceeded(.work(steps: limits.maxSteps), line: line) }
        if let isCancelled, isCancelled() { throw JinjaError(.cancelled, "the render was cancelled", line: line) }
        if ContinuousClock.now >= deadline { throw .exceeded(.time(milliseconds: timeLimitMilliseconds), line: line) }
    }

    /// Charges the work of going through `count` items or bytes (a step per 64).
    func chargeItems(_ count: Int, line: Int?) throws(JinjaError) {
        try charge(1 + count / 64, line: line)
    }

    /// Fails unless a string of `bytes` fits the string budget.
    func checkString(_ bytes: Int, line: Int?) throws(JinjaError) {
        guard bytes <= limits.maxStringBytes, bytes >= 0 else {
            throw .exceeded(.stringSize(bytes: limits.maxStringBytes), line: line)
        }
    }

    /// Fails unless a list of `items` fits the list budget.
    func checkList(_ items: Int, line: Int?) throws(JinjaError) {
        guard items <= limits.maxListItems, items >= 0 else {
            throw .exceeded(.listSize(items: limits.maxListItems), line: line)
        }
    }

    /// `a * b`, or a value past every budget when it overflows.
    static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflowed) = a.multipliedReportingOverflow(by: b)
        return overflowed ? Int.max : value
    }

    /// `a + b`, or a value past every budget when it overflows.
    static func sum(_ a: Int, _ b: Int) -> Int {
        let (value, overflowed) = a.addingReportingOverflow(b)
        return overflowed ? Int.max : value
    }
}

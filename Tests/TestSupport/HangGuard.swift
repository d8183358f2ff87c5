/// Bounds for tests of things that must not hang: a guard of a few seconds, never a speed goal.
public enum HangGuard {
    /// Thrown when the guarded work did not end in time.
    public struct TimedOut: Error {}

    /// The value of `body`, or `TimedOut` when it takes more than `seconds`.
    public static func within<Value: Sendable>(
        _ seconds: Double, _ body: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        try await withThrowingTaskGroup(of: Value?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            defer { group.cancelAll() }
            guard let value = try await group.next() ?? nil else { throw TimedOut() }
            return value
        }
    }

    /// Waits (up to about two seconds) until `condition` holds; says whether it did.
    public static func eventually(_ condition: () async -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return await condition()
    }
}

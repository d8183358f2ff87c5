import InferenceCore
import InferenceTypes
import Synchronization
import Testing

@Suite("The Scheduler admits a model's generations in order, up to a bound")
struct SchedulerTests {
    /// Starts a task that waits for a slot and records its name when admitted.
    private func waiter(_ name: String, on scheduler: Scheduler, into order: Order) -> Task<Void, any Error> {
        Task {
            _ = try await scheduler.admit()
            order.append(name)
        }
    }

    private func until(_ condition: () -> Bool) async throws {
        for _ in 0..<200 where !condition() { try await Task.sleep(for: .milliseconds(5)) }
        #expect(condition())
    }

    @Test("waiters get the slot in the order they asked, and one past the bound is refused at once")
    func fifoAndBound() async throws {
        let scheduler = Scheduler(slots: 1, maxQueueDepth: 2)
        let order = Order()
        _ = try await scheduler.admit()
        let first = waiter("first", on: scheduler, into: order)
        try await until { scheduler.waiting == 1 }
        let second = waiter("second", on: scheduler, into: order)
        try await until { scheduler.waiting == 2 }
        await #expect(throws: InferenceError.busy(retryAfterSeconds: 1)) { try await scheduler.admit() }
        scheduler.leave()
        try await first.value
        scheduler.leave()
        try await second.value
        #expect(order.names == ["first", "second"])
        #expect(scheduler.running == 1 && scheduler.waiting == 0)
    }

    @Test("a waiter whose task is cancelled leaves the queue at once and the slot goes to the next")
    func cancelledWaiterIsDropped() async throws {
        let scheduler = Scheduler(slots: 1, maxQueueDepth: 4)
        let order = Order()
        _ = try await scheduler.admit()
        let leaving = waiter("leaving", on: scheduler, into: order)
        try await until { scheduler.waiting == 1 }
        let staying = waiter("staying", on: scheduler, into: order)
        try await until { scheduler.waiting == 2 }
        leaving.cancel()
        await #expect(throws: CancellationError.self) { try await leaving.value }
        #expect(scheduler.waiting == 1)
        scheduler.leave()
        try await staying.value
        #expect(order.names == ["staying"])
    }

    @Test("an engine with two slots runs two at once")
    func slots() async throws {
        let scheduler = Scheduler(slots: 2, maxQueueDepth: 0)
        let one = try await scheduler.admit()
        let two = try await scheduler.admit()
        #expect(one.ahead == 0 && two.ahead == 1)
        await #expect(throws: InferenceError.busy(retryAfterSeconds: 1)) { try await scheduler.admit() }
        #expect(scheduler.running == 2)
    }
}

/// Names in the order they were recorded.
final class Order: Sendable {
    private let state = Mutex<[String]>([])
    func append(_ name: String) { state.withLock { $0.append(name) } }
    var names: [String] { state.withLock { $0 } }
}

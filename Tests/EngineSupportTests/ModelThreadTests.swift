import EngineSupport
import Foundation
import InferenceTypes
import Synchronization
import Testing

@Suite struct ModelThreadTests {
    @Test func runsJobsOneAtATimeInOrderOnOneThread() async throws {
        let thread = try ModelThread()
        let log = Mutex<[Int]>([])
        let threads = Mutex<Set<String>>([])
        for index in 0..<20 {
            thread.submit {
                threads.withLock { _ = $0.insert("\(Thread.current)") }
                log.withLock { $0.append(index) }
            }
        }
        let last = try await thread.run { log.withLock { $0.count } }
        #expect(last == 20)
        #expect(log.withLock { $0 } == Array(0..<20))
        #expect(threads.withLock { $0.count } == 1)
        #expect(await thread.stop(timeout: 5))
    }

    @Test func runPassesErrorsBack() async throws {
        struct Failure: Error {}
        let thread = try ModelThread()
        await #expect(throws: Failure.self) { try await thread.run { throw Failure() } }
        await thread.stop(timeout: 5)
    }
}

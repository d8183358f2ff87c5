import CTaskCounter
import Hummingbird
import HummingbirdTesting
import InferenceCore
import Logging
import ModelStore
import TestSupport
import Testing

@testable import Server

/// How many Swift tasks one generation starts beyond its request's own: at most one (the task that lets a
/// client that leaves during queue and prefill stop it). Counted by the concurrency runtime's enqueue hook,
/// comparing a streamed generation with a request that generates nothing, on a scripted engine.
///
/// Serialized because the counter is one per process: its tests must not reset each other's count.
@Suite(.serialized) struct TasksPerGenerationTests {
    /// Distinct tasks started while `work` runs, the fewest over `attempts` runs: work of other suites running
    /// alongside can only add tasks, never take them away.
    private static func tasks(attempts: Int = 5, _ work: () async throws -> Void) async throws -> Int {
        var fewest = Int.max
        for _ in 0..<attempts {
            ctc_start()
            try await work()
            fewest = min(fewest, Int(ctc_stop()))
        }
        return fewest
    }

    @Test func theCounterSeesTasksStart() async throws {
        try #require(ctc_install() == 0, "this Swift runtime has no global enqueue hook")
        let counted = try await Self.tasks {
            let started = (Task { 1 }, Task { 2 }, Task { 3 })
            _ = await started.0.value + started.1.value + started.2.value
        }
        #expect(counted >= 3, "the counter reads a job layout this Swift runtime does not have")
    }

    @Test(arguments: [
        ("/v1/chat/completions", #"{"model":"scripted","stream":true,"messages":[{"role":"user","content":"Hi"}]}"#),
        ("/api/chat", #"{"model":"scripted","messages":[{"role":"user","content":"Hi"}]}"#),
        ("/v1/chat/completions", #"{"model":"scripted","messages":[{"role":"user","content":"Hi"}]}"#),
    ])
    func aGenerationStartsAtMostOneTask(route: String, body: String) async throws {
        try #require(ctc_install() == 0, "this Swift runtime has no global enqueue hook")
        try await withScriptedRouter(ScriptedEngine.answer(["Hel", "lo", " there"]), canThink: false) { client in
            // The first request loads the model and starts the manager's housekeeping, once per server.
            let first = try await post(client, route, body).status
            #expect(first == .ok)
            let baseline = try await Self.tasks {
                let status = try await client.execute(uri: "/v1/models", method: .get).status
                #expect(status == .ok)
            }
            let generation = try await Self.tasks {
                let status = try await post(client, route, body).status
                #expect(status == .ok)
            }
            #expect(generation - baseline <= 1, "a generation started \(generation - baseline) tasks of its own")
        }
    }
}

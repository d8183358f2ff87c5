import InferenceCore
import InferenceTypes
import Synchronization
import Testing

@Suite("Generation time limits")
struct GenerationTimeLimitsTests {
    @Test("the wait for the first token grows with the prompt and with the requests queued ahead")
    func firstTokenAllowanceScales() {
        let limits = GenerationTimeLimits(base: 10, perPromptToken: 0.05, betweenEvents: 30)
        #expect(limits.firstEvent(promptBytes: 0, ahead: 0) == 10)
        #expect(limits.firstEvent(promptBytes: 40_000, ahead: 0) == 510)
        #expect(limits.firstEvent(promptBytes: 0, ahead: 3) == 40)
    }

    @Test("a generation that stops producing output ends with an error and its engine is told to stop")
    func stalledGenerationIsStopped() async throws {
        let upstreamEnded = Atomic<Bool>(false)
        let upstream = AsyncThrowingStream<GenerationEvent, any Error> { continuation in
            continuation.yield(.text("first"))
            continuation.onTermination = { _ in upstreamEnded.store(true, ordering: .relaxed) }
        }
        let limits = GenerationTimeLimits(base: 5, perPromptToken: 0, betweenEvents: 0.3)
        var received: [GenerationEvent] = []
        let clock = ContinuousClock()
        let start = clock.now
        await #expect {
            for try await event in limits.watch(upstream, promptBytes: 10, ahead: 0) { received.append(event) }
        } throws: { error in
            "\(error)".contains("no output for")
        }
        #expect(received == [.text("first")])
        #expect(clock.now - start < .seconds(3))
        let ended = upstreamEnded.load(ordering: .relaxed)
        #expect(ended)
    }

    @Test("a generation that keeps producing output is passed through whole")
    func healthyGenerationPassesThrough() async throws {
        let summary = GenerationSummary(finishReason: .stop, usage: Usage(), timings: Timings())
        let upstream = AsyncThrowingStream<GenerationEvent, any Error> { continuation in
            Task {
                for word in ["a", "b", "c"] {
                    try? await Task.sleep(for: .milliseconds(100))
                    continuation.yield(.text(word))
                }
                continuation.yield(.done(summary))
                continuation.finish()
            }
        }
        let limits = GenerationTimeLimits(base: 1, perPromptToken: 0, betweenEvents: 1)
        var received: [GenerationEvent] = []
        for try await event in limits.watch(upstream, promptBytes: 10, ahead: 0) { received.append(event) }
        #expect(received == [.text("a"), .text("b"), .text("c"), .done(summary)])
    }
}

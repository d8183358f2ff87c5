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
}

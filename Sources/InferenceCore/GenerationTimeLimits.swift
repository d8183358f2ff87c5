import Conversation
import EngineSupport
public import InferenceTypes
import ModelStore
import SchemaGrammar
import Synchronization

/// How long a generation may go without output before it is stopped. The wait for the first token scales
/// with the prompt (prefill time grows with it) and with the requests queued ahead; a fixed limit would
/// either cut long prompts on a slow NPU or let a hung runtime hold a client for ever.
public struct GenerationTimeLimits: Sendable, Equatable {
    /// Seconds allowed for the first token of a short prompt with nothing queued ahead.
    public var base: Double
    /// Seconds added per prompt token (estimated at 4 bytes a token).
    public var perPromptToken: Double
    /// Seconds allowed between two events once output has started.
    public var betweenEvents: Double

    /// Creates limits.
    public init(base: Double = 60, perPromptToken: Double = 0.05, betweenEvents: Double = 60) {
        self.base = base
        self.perPromptToken = perPromptToken
        self.betweenEvents = betweenEvents
    }

    /// The wait allowed for the first event of a prompt of `promptBytes` with `ahead` requests before it.
    public func firstEvent(promptBytes: Int, ahead: Int) -> Double {
        (base + perPromptToken * Double(promptBytes) / 4) * Double(max(0, ahead) + 1)
    }

    /// The engine's events, ended with an error (and the engine's generation cancelled) when one is late.
    public func watch(
        _ upstream: AsyncThrowingStream<GenerationEvent, any Error>, promptBytes: Int, ahead: Int
    ) -> AsyncThrowingStream<GenerationEvent, any Error> {
        let firstLimit = firstEvent(promptBytes: promptBytes, ahead: ahead)
        let betweenLimit = betweenEvents
        return AsyncThrowingStream { continuation in
            let last = LastEvent()
            let pump = Task {
                do {
                    for try await event in upstream {
                        last.state.withLock { $0 = (.now, true) }
                        continuation.yield(event)
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            let watchdog = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(250))
                    let (at, started) = last.state.withLock { $0 }
                    let limit = started ? betweenLimit : firstLimit
                    guard ContinuousClock.now - at > .milliseconds(Int64(limit * 1000)) else { continue }
                    let what = started ? "no output for" : "no first token within"
                    continuation.finish(
                        throwing: InferenceError.engineFailure(
                            "\(what) \(Int(limit)) s (the limit for this prompt); the generation was stopped"))
                    pump.cancel()
                    return
                }
            }
            continuation.onTermination = { _ in
                pump.cancel()
                watchdog.cancel()
            }
        }
    }
}

/// When the last event of a watched generation arrived, and whether any had.
private final class LastEvent: Sendable {
    let state = Mutex<(at: ContinuousClock.Instant, started: Bool)>((.now, false))
}

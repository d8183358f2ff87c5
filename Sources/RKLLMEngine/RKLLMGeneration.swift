import CRKLLM
import EngineSupport
import Glibc
import InferenceTypes

/// The state of one batch element of an `rkllm_run`: its stream, its text, its limits and its counts.
///
/// A member ends alone (the runtime finished it, a stop string, its token limit, its client left); the run
/// goes on for the others. Used only on the model thread.
final class RKLLMGeneration {
    let plan: RKLLMRunPlan
    private var utf8 = UTF8Accumulator()
    private var stops: StopSequenceMatcher
    private(set) var generated = 0
    /// The stop string that ended the generation, when one did.
    private var stopSequence: String?
    var stoppedByString: Bool { stopSequence != nil }
    private(set) var reachedLimit = false
    /// The runtime's figures from the run's FINISH callback.
    var perf: rkllm_perf_stat?
    /// Whether the member takes no more tokens.
    private(set) var ended = false
    /// Whether its stream has ended (with `.done` or an error).
    private(set) var answered = false
    private var firstToken: UInt64?
    /// The prompt tokens the run's loaded prompt-cache file holds for this member (0 when none matches).
    var cachedTokens = 0
    /// Of those, the ones this member's own run evaluated just before to write the file (the first request
    /// with a new prefix): they count as prompt tokens, not as reused ones.
    var savedTokens = 0
    private var endTime: UInt64?
    /// Counts the reasoning's tokens when the plan limits them.
    private var reasoningBudget: RKLLMReasoningBudget?
    /// The run that goes on once this one spent the reasoning budget; the session puts it first in line.
    private(set) var continuationPlan: RKLLMRunPlan?
    /// Whether the member ended at one of the model's EOS ids (`RKLLMEndOfSequence`).
    private(set) var sawEndOfSequence = false
    /// Watches for runtime 1.3.0's FINISH at `</think>`, when the plan can meet it.
    private var twoPhase: RKLLMTwoPhaseThinking?

    var continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation { plan.continuation }
    var cancellation: CancellationFlag { plan.cancellation }

    init(plan: RKLLMRunPlan) {
        self.plan = plan
        stops = StopSequenceMatcher(stops: plan.stops)
        reasoningBudget = plan.reasoningLimit.map(RKLLMReasoningBudget.init(limit:))
        twoPhase = plan.twoPhaseTags.map(RKLLMTwoPhaseThinking.init(tags:))
    }

    /// Takes this member's result of one step (`NORMAL` or `WAITING`); says whether the member ended now.
    /// In a batch, a negative `token_id` is the runtime saying this member is finished.
    func step(_ result: rkllm_result?, waiting: Bool, batched: Bool, at time: UInt64) -> Bool {
        guard !ended else { return false }
        if firstToken == nil { firstToken = time }
        if cancellation.isCancelled || (batched && (result?.token_id ?? -1) < 0) { return end(at: time) }
        generated += 1
        if let tokenID = result?.token_id, plan.endOfSequence.contains(tokenID) {
            // The model's own end, which runtime 1.3.0 may not take for one (rknn-llm #534); its text is not output.
            sawEndOfSequence = true
            return end(at: time)
        }
        // WAITING: part of a character; the runtime repeats these bytes, completed, in the next NORMAL result.
        var piece = ""
        if !waiting, let text = result?.text {
            piece = utf8.append(UnsafeBufferPointer(start: text, count: strlen(text)).lazy.map(UInt8.init))
            if emit(piece) { return end(at: time) }
        }
        twoPhase?.feed(piece)
        if reasoningBudget?.feed(piece) == true { return end(at: time) }
        if generated >= plan.maxTokens { reachedLimit = true }
        return reachedLimit ? end(at: time) : false
    }

    /// Ends the member's stream now, while the run goes on for the others: the runtime's figures come only at
    /// the end of the run, so the prompt's token count is not known yet.
    func answerAlone(queueNanos: UInt64, runStart: UInt64) {
        let ended = endTime ?? MonotonicClock.now()
        let first = firstToken ?? ended
        answer(
            usage: Usage(cachedTokens: cachedTokens - savedTokens, completionTokens: generated),
            timings: Timings(
                queueNanos: queueNanos, promptEvalNanos: first &- runStart, evalNanos: ended &- first))
    }

    /// Ends the member's stream after the run ended, with the runtime's figures.
    func answerAtFinish(queueNanos: UInt64) {
        answer(
            usage: Usage(
                // The runtime counts only the tokens it evaluated; the cached ones come on top.
                promptTokens: Int(perf?.prefill_tokens ?? 0) + cachedTokens, cachedTokens: cachedTokens - savedTokens,
                completionTokens: max(Int(perf?.generate_tokens ?? 0), generated)),
            timings: Timings(
                queueNanos: queueNanos, promptEvalNanos: UInt64(max(0, perf?.prefill_time_ms ?? 0) * 1e6),
                evalNanos: UInt64(max(0, perf?.generate_time_ms ?? 0) * 1e6)))
    }

    /// Ends the member's stream with `error` (a cancelled member's stream has ended already).
    func fail(_ error: InferenceError) {
        guard !answered else { return }
        answered = true
        ended = true
        continuation.finish(throwing: cancellation.isCancelled ? InferenceError.cancelled : error)
    }

    private func answer(usage run: Usage, timings runTimings: Timings) {
        guard !answered else { return }
        answered = true
        ended = true
        guard !cancellation.isCancelled else {
            continuation.finish(throwing: InferenceError.cancelled)
            return
        }
        let (usage, timings) = RKLLMReasoningBudget.combined(run, runTimings, with: plan.carried, generated: generated)
        if let budget = reasoningBudget, budget.isSpent, !stoppedByString, !reachedLimit {
            // The reasoning is closed by a second run; the stream stays open for it.
            continuationPlan = plan.continuation(
                written: budget.written, generated: generated,
                carried: RKLLMCarriedRun(
                    promptTokens: plan.carried?.promptTokens ?? (run.promptTokens > 0 ? run.promptTokens : nil),
                    cachedTokens: usage.cachedTokens, completionTokens: usage.completionTokens, timings: timings))
            if continuationPlan != nil {
                flush()
                continuation.yield(.text(budget.limit.closing))
                return
            }
        }
        if let twoPhase, twoPhase.isOpen, !stoppedByString, !reachedLimit, !sawEndOfSequence {
            // Runtime 1.3.0 ended the run at `</think>` (phase 1): phase 2 answers on the same stream.
            continuationPlan = plan.continuation(
                written: twoPhase.written, generated: generated,
                carried: RKLLMCarriedRun(
                    promptTokens: plan.carried?.promptTokens ?? (run.promptTokens > 0 ? run.promptTokens : nil),
                    cachedTokens: usage.cachedTokens, completionTokens: usage.completionTokens, timings: timings),
                twoPhaseClosing: twoPhase.tags.closing)
            if continuationPlan != nil {
                flush()
                continuation.yield(.text(twoPhase.tags.closing))
                return
            }
        }
        flush()
        var finish: FinishReason = stoppedByString ? .stop : reachedLimit ? .length : .stop
        if plan.isSecondPhase, !stoppedByString, !sawEndOfSequence {
            // Phase 2 ended without the model's EOS: runtime 1.3.0 cut the answer short, which the client is told.
            finish = .length
            RKLLMLog.secondPhaseCut(completionTokens: usage.completionTokens)
        }
        continuation.yield(
            .done(GenerationSummary(finishReason: finish, usage: usage, timings: timings, stopSequence: stopSequence)))
        continuation.finish()
    }

    /// Sends whatever the accumulators still hold, when the generation did not stop on a stop string.
    private func flush() {
        guard !stoppedByString else { return }
        _ = emit(utf8.flush())
        let rest = stops.flush()
        if !rest.isEmpty { continuation.yield(.text(rest)) }
    }

    /// Sends text on; says whether a stop string ended the generation.
    private func emit(_ piece: String) -> Bool {
        guard !piece.isEmpty else { return false }
        let outcome = stops.feed(piece)
        if !outcome.text.isEmpty { continuation.yield(.text(outcome.text)) }
        if outcome.stopped { stopSequence = outcome.stop }
        return outcome.stopped
    }

    private func end(at time: UInt64) -> Bool {
        ended = true
        endTime = time
        return true
    }
}

import CLlama
import EngineSupport
import InferenceTypes

/// One request a slot serves: its prompt, sampler, grammar, log-probabilities, stop strings, token limit,
/// cancellation, UTF-8 accumulator and timings, and where its results go.
///
/// Used only on the engine's model thread, by the batch loop.
final class LlamaGeneration {
    /// Where the results of the work go.
    enum Output {
        /// A generation streamed to a client.
        case stream(AsyncThrowingStream<EngineEvent, any Error>.Continuation)
        /// A named prompt cache written to `path` once the prompt is evaluated.
        case saveState(path: String, done: CheckedContinuation<SavedPromptCache, any Error>)
    }

    let request: EngineRequest
    let cancellation: CancellationFlag
    let output: Output
    private let submitted: UInt64

    /// The prompt's tokens (empty until `start`).
    private(set) var prompt: [llama_token] = []
    /// How many prompt tokens the sequence holds so far (reused or evaluated).
    var evaluated = 0
    /// How many prompt tokens came from a cache rather than being evaluated again.
    var cached = 0
    /// The sampled token to evaluate in the next step, once the prompt is in.
    var pending: llama_token?
    /// How many prompt tokens the batch being decoded adds.
    var inFlight = 0
    /// The row of the last batch whose logits this generation samples from, -1 when none.
    var row: Int32 = -1

    private var sampler: LlamaSampler?
    private var logprobs: LlamaLogprobs?
    private var utf8 = UTF8Accumulator()
    private var stops: StopSequenceMatcher
    /// Counts the reasoning's tokens when the request limits them.
    private var reasoningBudget: ReasoningBudgetTracker?
    /// The tokens of the reasoning's closing tag still to put into the sequence, once the budget is spent.
    private var forced: [llama_token] = []
    private var generated = 0
    /// The stop string that ended the generation, when one did.
    private var stopSequence: String?
    private var stoppedByString: Bool { stopSequence != nil }
    private var queueNanos: UInt64 = 0
    private var promptStart: UInt64 = 0
    private var evalStart: UInt64 = 0
    private var promptNanos: UInt64 = 0

    init(request: EngineRequest, cancellation: CancellationFlag, submitted: UInt64, output: Output) {
        self.request = request
        self.cancellation = cancellation
        self.submitted = submitted
        self.output = output
        stops = StopSequenceMatcher(stops: request.stop)
        reasoningBudget = request.reasoningLimit.map(ReasoningBudgetTracker.init(limit:))
    }

    /// Whether all of the prompt is in the sequence.
    var isPrefilled: Bool { evaluated >= prompt.count }

    /// Whether this work only saves the prompt's state.
    var savesState: Bool {
        if case .saveState = output { true } else { false }
    }

    /// Tokenizes the prompt and checks the request against a sequence of `size` tokens; a grammar that does not
    /// parse or a bad logprobs count is refused before any prompt work.
    func start(model: LlamaModel, size: Int) throws(InferenceError) {
        queueNanos = MonotonicClock.since(submitted)
        promptStart = MonotonicClock.now()
        prompt = try model.promptTokens(for: request.input)
        guard !prompt.isEmpty else { throw .invalidRequest("the prompt is empty") }
        guard prompt.count < size else { throw .contextOverflow(promptTokens: prompt.count, contextSize: size) }
        guard !savesState else { return }
        sampler = try LlamaSampler(model: model, options: request.sampling, grammar: request.grammar)
        logprobs = try request.logprobs.map { count throws(InferenceError) in try LlamaLogprobs(topCount: count) }
    }

    /// Samples the next token from this generation's row of the last batch and reports it. Returns the reason
    /// the generation ends, or `nil` when the token is to be evaluated next (it is then `pending`).
    func sampleNext(in context: LlamaContext) throws(InferenceError) -> FinishReason? {
        guard let sampler, case .stream(let continuation) = output else { return .stop }
        let model = context.model
        let token: llama_token
        if forced.isEmpty {
            token = try sampler.sample(context, row: row)
        } else {
            // The reasoning budget is spent: the closing tag goes in whatever the logits say.
            token = forced.removeFirst()
            sampler.force(token)
        }
        if generated == 0 {
            promptNanos = MonotonicClock.since(promptStart)
            evalStart = MonotonicClock.now()
        }
        pending = nil
        if model.isEndOfGeneration(token) { return .stop }
        generated += 1
        let piece = model.piece(of: token)
        if let logprobs, let entry = logprobs.entry(for: token, piece: piece, in: context, row: row) {
            continuation.yield(.logprobs([entry]))
        }
        let text = utf8.append(piece)
        if reasoningBudget?.feed(text) == true, let limit = reasoningBudget?.limit {
            forced = try model.tokenize(limit.closing, addSpecial: false, parseSpecial: true)
            if !sampler.allows(forced) { forced = [] }
        }
        if !text.isEmpty {
            let outcome = stops.feed(text)
            if !outcome.text.isEmpty { continuation.yield(.text(outcome.text)) }
            if outcome.stopped {
                stopSequence = outcome.stop
                return .stop
            }
        }
        if generated >= (request.maxTokens ?? Int.max) { return .length }
        pending = token
        return nil
    }

    /// Ends the stream with what is held back and the summary (`.stop` after a stop string emits nothing more).
    func finish(_ reason: FinishReason) {
        guard case .stream(let continuation) = output else { return }
        if !stoppedByString && reason != .cancelled {
            let outcome = stops.feed(utf8.flush())
            let rest = outcome.text + (outcome.stopped ? "" : stops.flush())
            if !rest.isEmpty { continuation.yield(.text(rest)) }
            if outcome.stopped { stopSequence = outcome.stop }
        }
        if generated == 0 { promptNanos = MonotonicClock.since(promptStart) }
        let summary = GenerationSummary(
            finishReason: reason,
            usage: Usage(promptTokens: prompt.count, cachedTokens: cached, completionTokens: generated),
            timings: Timings(
                queueNanos: queueNanos, promptEvalNanos: promptNanos,
                evalNanos: generated == 0 ? 0 : MonotonicClock.since(evalStart)), stopSequence: stopSequence)
        continuation.yield(.done(summary))
        continuation.finish()
    }

    /// Ends the work with `error`.
    func fail(_ error: InferenceError) {
        switch output {
        case .stream(let continuation): continuation.finish(throwing: error)
        case .saveState(_, let done): done.resume(throwing: error)
        }
    }

    /// Reports the state saved to the file.
    func saved(bytes: UInt64) {
        if case .saveState(_, let done) = output {
            done.resume(returning: SavedPromptCache(tokens: prompt.count, bytes: bytes))
        }
    }
}

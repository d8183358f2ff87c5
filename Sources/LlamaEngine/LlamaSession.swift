import CLlama
import EngineSupport
import InferenceTypes

/// The model and context of a loaded engine, the generation loop that drives them, and the embedding
/// context made on first use.
///
/// Only ever touched on the engine's model thread: `LlamaEngine` submits every call through it.
final class LlamaSession {
    private var context: LlamaContext?
    private var embedder: LlamaEmbedder?
    let modelName: String
    private let threads: Int

    init(context: LlamaContext, modelName: String, threads: Int) {
        self.context = context
        self.modelName = modelName
        self.threads = threads
    }

    /// The loaded model, or an engine failure once it is unloaded.
    func model() throws(InferenceError) -> LlamaModel {
        guard let context else { throw .engineFailure("the model \(modelName) was unloaded") }
        return context.model
    }

    /// Frees the contexts and the model.
    func close() {
        embedder = nil
        context = nil
    }

    /// The embeddings of `inputs`, in order, and the tokens they were computed from.
    func embed(_ inputs: [String], truncate: Bool) throws(InferenceError) -> (vectors: [[Float]], tokens: Int) {
        guard let context else { throw .engineFailure("the model \(modelName) was unloaded") }
        let embedder: LlamaEmbedder
        if let existing = self.embedder {
            embedder = existing
        } else {
            embedder = try LlamaEmbedder(
                model: context.model, contextLength: min(context.size, LlamaEmbedder.maxInputTokens), threads: threads,
                modelName: modelName)
            self.embedder = embedder
        }
        var vectors: [[Float]] = []
        var tokens = 0
        for input in inputs {
            let embedding = try embedder.embed(input, truncate: truncate)
            vectors.append(embedding.vector)
            tokens += embedding.tokens
        }
        return (vectors, tokens)
    }

    /// Runs one generation to its end, reporting through `continuation`.
    func run(
        _ request: EngineRequest, cancellation: CancellationFlag, queueNanos: UInt64,
        continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation
    ) {
        guard let context else {
            continuation.finish(throwing: InferenceError.engineFailure("the model \(modelName) was unloaded"))
            return
        }
        guard !cancellation.isCancelled else {
            continuation.finish(throwing: InferenceError.cancelled)
            return
        }
        context.setCancellation(cancellation)
        defer { context.setCancellation(nil) }
        do {
            let summary = try withExtendedLifetime(cancellation) {
                try generate(request, in: context, cancellation: cancellation, continuation: continuation)
            }
            var final = summary
            final.timings.queueNanos = queueNanos
            continuation.yield(.done(final))
            continuation.finish()
        } catch {
            continuation.finish(throwing: error)
        }
    }

    private func generate(
        _ request: EngineRequest, in context: LlamaContext, cancellation: CancellationFlag,
        continuation: AsyncThrowingStream<EngineEvent, any Error>.Continuation
    ) throws(InferenceError) -> GenerationSummary {
        let model = context.model
        let promptStart = MonotonicClock.now()
        let prompt: [llama_token]
        switch request.input {
        case .chat(let messages):
            prompt = try model.tokenize(model.renderChat(messages), addSpecial: true, parseSpecial: true)
        case .text(let text):
            prompt = try model.tokenize(text, addSpecial: true, parseSpecial: true)
        case .rendered(let text):
            prompt = try model.tokenize(text, addSpecial: false, parseSpecial: true)
        }
        guard !prompt.isEmpty else { throw .invalidRequest("the prompt is empty") }
        guard prompt.count < context.size else {
            throw .contextOverflow(promptTokens: prompt.count, contextSize: context.size)
        }
        // A grammar that does not parse or a bad logprobs count is refused before any prompt work.
        let sampler = try LlamaSampler(model: model, options: request.sampling, grammar: request.grammar)
        let logprobs = try request.logprobs.map { count throws(InferenceError) in try LlamaLogprobs(topCount: count) }
        let cached = try context.evaluatePrompt(prompt)
        var utf8 = UTF8Accumulator()
        var stops = StopSequenceMatcher(stops: request.stop)
        let maxTokens = request.maxTokens ?? Int.max
        var generated = 0
        var finish = FinishReason.stop
        var stoppedByString = false
        var evalStart = MonotonicClock.now()
        var promptNanos: UInt64 = 0

        while true {
            if cancellation.isCancelled {
                finish = .cancelled
                break
            }
            if generated >= maxTokens || context.cachedTokens.count >= context.size {
                finish = .length
                break
            }
            let token = try sampler.sample(context)
            if generated == 0 {
                promptNanos = MonotonicClock.since(promptStart)
                evalStart = MonotonicClock.now()
            }
            if model.isEndOfGeneration(token) { break }
            generated += 1
            let piece = model.piece(of: token)
            if let logprobs, let entry = logprobs.entry(for: token, piece: piece, in: context) {
                continuation.yield(.logprobs([entry]))
            }
            let text = utf8.append(piece)
            if !text.isEmpty {
                let outcome = stops.feed(text)
                if !outcome.text.isEmpty { continuation.yield(.text(outcome.text)) }
                if outcome.stopped {
                    stoppedByString = true
                    break
                }
            }
            do {
                try context.evaluate(token)
            } catch .cancelled {
                finish = .cancelled
                break
            }
        }
        if generated == 0 { promptNanos = MonotonicClock.since(promptStart) }
        if !stoppedByString && finish != .cancelled {
            let outcome = stops.feed(utf8.flush())
            let rest = outcome.text + (outcome.stopped ? "" : stops.flush())
            if !rest.isEmpty { continuation.yield(.text(rest)) }
        }
        return GenerationSummary(
            finishReason: finish,
            usage: Usage(promptTokens: prompt.count, cachedTokens: cached, completionTokens: generated),
            timings: Timings(
                promptEvalNanos: promptNanos, evalNanos: generated == 0 ? 0 : MonotonicClock.since(evalStart))
        )
    }
}

// Thread-confined: created on the model thread and, through LlamaEngine, only ever used there.
extension LlamaSession: @unchecked Sendable {}

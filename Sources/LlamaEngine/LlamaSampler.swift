import CLlama
import EngineSupport
import InferenceTypes

/// Owns one sampler chain built from a request's sampling options, and the request's grammar if it has one.
///
/// With a grammar it samples the way llama.cpp's own common sampler does: the chain picks a token from the
/// unconstrained candidates, the grammar checks that one token, and only when it refuses is the grammar
/// applied to the whole vocabulary and the chain run again. Checking one token is cheap; filtering every
/// token of the vocabulary is not, and most steps never need it.
final class LlamaSampler {
    /// llama.cpp's defaults, used for every option a request leaves out.
    static let defaults = SamplingOptions(
        temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, repeatPenalty: 1.0, repeatLastN: 64,
        presencePenalty: 0, frequencyPenalty: 0, seed: nil
    )

    private let api: LlamaAPI
    private let chain: OpaquePointer
    private let grammar: LlamaGrammar?
    private let vocabularySize: Int
    /// One entry per token of the vocabulary, filled from the logits at each constrained step.
    private var candidates: [llama_token_data] = []

    init(model: LlamaModel, options: SamplingOptions, grammar: String? = nil) throws(InferenceError) {
        api = model.api
        vocabularySize = Int(model.vocabularySize)
        if let grammar {
            self.grammar = try LlamaGrammar(model: model, grammar: grammar)
        } else {
            self.grammar = nil
        }
        guard let chain = api.samplerChainInit(api.samplerChainDefaultParams()) else {
            throw .engineFailure("llama.cpp could not create a sampler")
        }
        self.chain = chain
        let defaults = Self.defaults
        let repeatPenalty = Float(options.repeatPenalty ?? defaults.repeatPenalty!)
        let frequency = Float(options.frequencyPenalty ?? defaults.frequencyPenalty!)
        let presence = Float(options.presencePenalty ?? defaults.presencePenalty!)
        if repeatPenalty != 1 || frequency != 0 || presence != 0 {
            let lastN = Int32(options.repeatLastN ?? defaults.repeatLastN!)
            add(api.samplerInitPenalties(model.vocabularySize, lastN, repeatPenalty, frequency, presence))
        }
        let temperature = options.temperature ?? defaults.temperature!
        if temperature <= 0 {
            add(api.samplerInitGreedy())
            return
        }
        add(api.samplerInitTopK(Int32(options.topK ?? defaults.topK!)))
        add(api.samplerInitTopP(Float(options.topP ?? defaults.topP!), 1))
        add(api.samplerInitMinP(Float(options.minP ?? defaults.minP!), 1))
        add(api.samplerInitTemp(Float(temperature)))
        add(api.samplerInitDist(options.seed ?? LLAMA_DEFAULT_SEED))
    }

    deinit {
        api.samplerFree(chain)
    }

    /// Chooses the next token from the logits of row `row` of the last batch (-1: its last row), and remembers
    /// it for the penalties and the grammar. Once a grammar is complete it allows only end-of-generation tokens.
    func sample(_ context: LlamaContext, row: Int32 = -1) throws(InferenceError) -> llama_token {
        guard let grammar else { return api.samplerSample(chain, context.handle, row) }
        guard let logits = api.getLogitsIth(context.handle, row) else {
            throw .engineFailure("llama.cpp has no logits to sample from")
        }
        var token = choose(from: logits, constrainedBy: nil)
        if !grammar.allows(token) {
            token = choose(from: logits, constrainedBy: grammar)
            // Accepting a token the grammar refuses would abort inside llama.cpp.
            guard grammar.allows(token) else {
                throw .invalidRequest("the grammar allows no token the model can write next")
            }
        }
        grammar.accept(token)
        api.samplerAccept(chain, token)
        return token
    }

    /// Puts `token` into the sequence without sampling it (the closing tag of a spent reasoning budget): the
    /// grammar and the penalties see it as if it had been sampled. Call only for tokens `allows` accepts.
    func force(_ token: llama_token) {
        if let grammar, grammar.allows(token) { grammar.accept(token) }
        api.samplerAccept(chain, token)
    }

    /// Whether the grammar, if any, accepts `tokens` as the next ones (only the first is checked against the
    /// grammar's current state: the closing tag's tokens are checked one by one as they go in).
    func allows(_ tokens: [llama_token]) -> Bool {
        guard let grammar, let first = tokens.first else { return true }
        return grammar.allows(first)
    }

    /// Runs the chain over every token's logit, after the grammar when one is given; returns the chosen token.
    private func choose(from logits: UnsafeMutablePointer<Float>, constrainedBy grammar: LlamaGrammar?) -> llama_token {
        let count = vocabularySize
        if candidates.count != count {
            candidates = [llama_token_data](repeating: llama_token_data(id: 0, logit: 0, p: 0), count: count)
        }
        return candidates.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            // `logits` holds one value per vocabulary entry (llama_get_logits_ith's row) until the next decode.
            for index in 0..<count {
                base[index] = llama_token_data(id: llama_token(index), logit: logits[index], p: 0)
            }
            var array = llama_token_data_array(data: base, size: count, selected: -1, sorted: false)
            grammar?.constrain(&array)
            api.samplerApply(chain, &array)
            // The samplers may point `data` elsewhere; `selected` indexes whatever it points at now.
            guard array.selected >= 0, array.selected < array.size else { return array.data[0].id }
            return array.data[Int(array.selected)].id
        }
    }

    private func add(_ sampler: OpaquePointer?) {
        if let sampler { api.samplerChainAdd(chain, sampler) }
    }
}

import CLlama
import InferenceCore

/// Owns one sampler chain built from a request's sampling options.
final class LlamaSampler {
    /// llama.cpp's defaults, used for every option a request leaves out.
    static let defaults = SamplingOptions(
        temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05, repeatPenalty: 1.0, repeatLastN: 64,
        presencePenalty: 0, frequencyPenalty: 0, seed: nil
    )

    private let api: LlamaAPI
    private let chain: OpaquePointer

    init(model: LlamaModel, options: SamplingOptions) throws(InferenceError) {
        api = model.api
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

    /// Chooses the next token from the logits of the last evaluated token, and remembers it for the penalties.
    func sample(_ context: LlamaContext) -> llama_token {
        api.samplerSample(chain, context.handle, -1)
    }

    private func add(_ sampler: OpaquePointer?) {
        if let sampler { api.samplerChainAdd(chain, sampler) }
    }
}

import InferenceCore
public import InferenceTypes
import OrderedJSON

/// `options` of `/api/generate` and `/api/chat`. Known keys are type-checked (a wrongly typed one is a 400;
/// integers may be sent as `4096.0`); keys that only tune hardware or loading, legacy keys and unknown keys
/// are accepted and ignored, as Ollama does.
public struct OllamaOptions: Decodable, Sendable, Equatable {
    public var numPredict: Int?
    public var temperature: Double?
    public var topK: Int?
    public var topP: Double?
    public var minP: Double?
    public var repeatPenalty: Double?
    public var repeatLastN: Int?
    public var presencePenalty: Double?
    public var frequencyPenalty: Double?
    public var seed: Int?
    public var stop: [String]?
    public var numCtx: Int?
    /// The named prompt cache `/api/chat` starts from (`POST /v1/cache/{model}`); not one of Ollama's own.
    public var useCache: String?
    /// The LoRA adapter to run with, by name (an RKLLM model's adapters); not one of Ollama's own, whose adapters
    /// are fixed by the Modelfile's `ADAPTER`.
    public var lora: String?

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Keys that are checked for their type but have no effect here (hardware, loading, legacy samplers).
    private static let acceptedIntegers = [
        "num_keep", "num_batch", "num_gpu", "main_gpu", "num_thread", "mirostat", "num_gqa", "draft_num_predict",
    ]
    private static let acceptedNumbers = ["typical_p", "mirostat_tau", "mirostat_eta", "tfs_z"]
    private static let acceptedBooleans = [
        "use_mmap", "use_mlock", "numa", "low_vram", "vocab_only", "penalize_newline", "f16_kv", "logits_all",
        "embedding_only",
    ]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        func integer(_ name: String) throws -> Int? {
            let key = Key(stringValue: name)
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            if let value = try? container.decode(Int.self, forKey: key) { return value }
            if let value = try? container.decode(Double.self, forKey: key), value == value.rounded() {
                guard abs(value) < 1e15 else { throw OllamaError.badRequest("option \"\(name)\" is out of range") }
                return Int(value)
            }
            guard (try? container.decode(JSONValue.self, forKey: key)) != nil else {
                // Only a number no Double can hold fails to decode as any JSON value.
                throw OllamaError.badRequest("option \"\(name)\" is out of range")
            }
            throw OllamaError.badRequest("option \"\(name)\" must be an integer")
        }
        func number(_ name: String) throws -> Double? {
            let key = Key(stringValue: name)
            guard container.contains(key), try !container.decodeNil(forKey: key) else { return nil }
            guard let value = try? container.decode(Double.self, forKey: key) else {
                guard (try? container.decode(JSONValue.self, forKey: key)) != nil else {
                    throw OllamaError.badRequest("option \"\(name)\" is out of range")
                }
                throw OllamaError.badRequest("option \"\(name)\" must be a number")
            }
            return value
        }
        numPredict = try integer("num_predict")
        temperature = try number("temperature")
        topK = try integer("top_k")
        topP = try number("top_p")
        minP = try number("min_p")
        repeatPenalty = try number("repeat_penalty")
        repeatLastN = try integer("repeat_last_n")
        presencePenalty = try number("presence_penalty")
        frequencyPenalty = try number("frequency_penalty")
        seed = try integer("seed")
        numCtx = try integer("num_ctx")
        if let numCtx, numCtx <= 0 { throw OllamaError.badRequest("option \"num_ctx\" must be a positive integer") }
        let stopKey = Key(stringValue: "stop")
        if container.contains(stopKey), try !container.decodeNil(forKey: stopKey) {
            guard let stop = try? container.decode([String].self, forKey: stopKey) else {
                throw OllamaError.badRequest("option \"stop\" must be a list of strings")
            }
            self.stop = stop
        }
        let useCacheKey = Key(stringValue: "use_cache")
        if container.contains(useCacheKey), try !container.decodeNil(forKey: useCacheKey) {
            guard let name = try? container.decode(String.self, forKey: useCacheKey) else {
                throw OllamaError.badRequest("option \"use_cache\" must be a string")
            }
            useCache = name
        }
        let loraKey = Key(stringValue: "lora")
        if container.contains(loraKey), try !container.decodeNil(forKey: loraKey) {
            guard let name = try? container.decode(String.self, forKey: loraKey) else {
                throw OllamaError.badRequest("option \"lora\" must be a string")
            }
            lora = name
        }
        for name in Self.acceptedIntegers { _ = try integer(name) }
        for name in Self.acceptedNumbers { _ = try number(name) }
        for name in Self.acceptedBooleans {
            let key = Key(stringValue: name)
            if container.contains(key), try !container.decodeNil(forKey: key),
                (try? container.decode(Bool.self, forKey: key)) == nil
            {
                throw OllamaError.badRequest("option \"\(name)\" must be a boolean")
            }
        }
    }

    /// Empty options.
    public init() {}

    /// The sampling options they stand for.
    public var sampling: SamplingOptions {
        SamplingOptions(
            temperature: temperature, topK: topK, topP: topP, minP: minP, repeatPenalty: repeatPenalty,
            repeatLastN: repeatLastN, presencePenalty: presencePenalty, frequencyPenalty: frequencyPenalty,
            seed: seed.flatMap { $0 < 0 ? nil : UInt32(truncatingIfNeeded: $0) })
    }

    /// The token limit: `num_predict` -1 (unlimited) and -2 (fill the context) mean none.
    public var maxTokens: Int? {
        guard let numPredict, numPredict > 0 else { return nil }
        return numPredict
    }
}

import EngineSupport
import FoundationEssentials
public import InferenceTypes
import OrderedJSON

/// The optional `<model file>.json` beside an `.rkllm` file: what the file itself cannot say.
///
/// ```json
/// {"name": "qwen3-0.6b", "family": "qwen3", "context_length": 16384, "max_new_tokens": 2048,
///  "thinking": true, "base_domain_id": 0, "embed_flash": true, "n_keep": -1, "n_batch": 4,
///  "eos_token_ids": [151645, 151643],
///  "template": {"system_prefix": "<|im_start|>system\n", "system_suffix": "<|im_end|>\n",
///               "user_prefix": "<|im_start|>user\n", "user_suffix": "<|im_end|>\n",
///               "assistant_prefix": "<|im_start|>assistant\n", "assistant_suffix": "<|im_end|>\n",
///               "no_thinking_suffix": "<think>\n\n</think>\n\n", "has_system_role": true},
///  "sampling": {"temperature": 0.7, "top_k": 20, "top_p": 0.8, "repeat_penalty": 1.05,
///               "frequency_penalty": 0, "presence_penalty": 0},
///  "lora": [{"name": "pirate", "file": "qwen3-pirate-lora.rkllm", "scale": 1.0}],
///  "vision": {"encoder": "qwen2_vl_2b_vision_rk3588.rknn", "image_width": 392, "image_height": 392,
///             "image_tokens": 196, "image_start": "<|vision_start|>", "image_end": "<|vision_end|>",
///             "image_content": "<|image_pad|>", "keep_aspect_ratio": true}}
/// ```
/// Every key is optional. `family` picks a known chat format by name; `template` gives one outright; a Jinja
/// `chat_template` string makes the server render conversations itself and hand the runtime the prompt.
public struct RKLLMSidecar: Decodable, Sendable, Equatable {
    public struct Template: Decodable, Sendable, Equatable {
        public var systemPrefix: String?
        public var systemSuffix: String?
        public var userPrefix: String
        public var userSuffix: String
        public var assistantPrefix: String
        public var assistantSuffix: String?
        public var noThinkingSuffix: String?
        public var hasSystemRole: Bool?

        enum CodingKeys: String, CodingKey {
            case systemPrefix = "system_prefix", systemSuffix = "system_suffix", userPrefix = "user_prefix"
            case userSuffix = "user_suffix", assistantPrefix = "assistant_prefix"
            case assistantSuffix = "assistant_suffix", noThinkingSuffix = "no_thinking_suffix"
            case hasSystemRole = "has_system_role"
        }

        var format: RKLLMChatFormat {
            RKLLMChatFormat(
                systemPrefix: systemPrefix ?? "", systemSuffix: systemSuffix ?? "", userPrefix: userPrefix,
                userSuffix: userSuffix, assistantPrefix: assistantPrefix, assistantSuffix: assistantSuffix ?? "",
                noThinkingSuffix: noThinkingSuffix, hasSystemRole: hasSystemRole ?? true)
        }
    }

    public struct Sampling: Decodable, Sendable, Equatable {
        public var temperature: Double?
        public var topK: Int?
        public var topP: Double?
        public var repeatPenalty: Double?
        public var frequencyPenalty: Double?
        public var presencePenalty: Double?

        enum CodingKeys: String, CodingKey {
            case temperature, topK = "top_k", topP = "top_p", repeatPenalty = "repeat_penalty"
            case frequencyPenalty = "frequency_penalty", presencePenalty = "presence_penalty"
        }
    }

    /// A LoRA adapter listed in the sidecar: `{"name": "pirate", "file": "x.rkllm", "scale": 1.0}`, the file
    /// relative to the model's directory.
    public struct Lora: Decodable, Sendable, Equatable {
        public var name: String
        public var file: String
        public var scale: Double?
    }

    /// The RKNN vision encoder a vision-language model is paired with, and how images reach it.
    public struct Vision: Decodable, Sendable, Equatable {
        /// The encoder's file name, beside the model; without it the common names are looked for.
        public var encoder: String?
        /// The input size the encoder reads, overriding what the runtime reports.
        public var imageWidth: Int?
        public var imageHeight: Int?
        /// The embedding rows one image becomes, overriding what the runtime reports.
        public var imageTokens: Int?
        /// The family's image tags: before, after and inside an image's embeddings.
        public var imageStart: String?
        public var imageEnd: String?
        public var imageContent: String?
        /// Per-channel normalisation for encoders that take float input (`(pixel / 255 - mean) / std`).
        public var mean: [Float]?
        public var std: [Float]?
        /// Whether an image is letterboxed to the input size (true, the default) or stretched.
        public var keepAspectRatio: Bool?

        enum CodingKeys: String, CodingKey {
            case encoder, mean, std
            case imageWidth = "image_width", imageHeight = "image_height", imageTokens = "image_tokens"
            case imageStart = "image_start", imageEnd = "image_end", imageContent = "image_content"
            case keepAspectRatio = "keep_aspect_ratio"
        }
    }

    public var name: String?
    public var family: String?
    public var contextLength: Int?
    public var maxNewTokens: Int?
    public var thinking: Bool?
    public var template: Template?
    /// A Jinja chat template (Hugging Face's `chat_template`); when given, the server renders conversations
    /// with it and the runtime gets the rendered prompt.
    public var chatTemplate: String?
    public var sampling: Sampling?
    /// The NPU memory domain the model starts in (`extend_param.base_domain_id`, default 0).
    public var baseDomainID: Int?
    /// Whether embeddings are read from flash instead of RAM (`extend_param.embed_flash`, default true).
    public var embedFlash: Bool?
    /// Leading KV entries kept when the context window shifts (`n_keep`, default -1: the runtime's choice).
    public var keep: Int?
    /// Inputs per `rkllm_run` (`extend_param.n_batch`, 1 to 8): how many requests the model answers at once.
    /// `--parallel` wins over it.
    public var batchSize: Int?
    /// LoRA adapters loaded with the model (`rkllm_load_lora`), besides those found by file name.
    public var lora: [Lora]?
    /// The vision encoder of a vision-language model.
    public var vision: Vision?
    /// The token ids that end an answer (the tokenizer's `eos_token_id`s); the engine stops a generation at any
    /// of them itself, whatever the runtime makes of the model's EOS. Without it the family's are used.
    public var eosTokenIDs: [Int]?
    /// Present for an embedding model (`RKLLMSidecar.Embedding`): it embeds and does not chat.
    public var embedding: Embedding?
    /// Present for a reranker (`RKLLMSidecar.Reranker`): it reranks and does not chat.
    public var reranker: Reranker?

    /// The largest `n_batch` the engine asks for: the runtime's documentation recommends at most 8.
    public static let batchSizes = 1...8

    enum CodingKeys: String, CodingKey {
        case name, family, thinking, template, sampling, vision
        case contextLength = "context_length", maxNewTokens = "max_new_tokens"
        case baseDomainID = "base_domain_id", embedFlash = "embed_flash", keep = "n_keep"
        case chatTemplate = "chat_template", batchSize = "n_batch", lora, eosTokenIDs = "eos_token_ids"
        case embedding, reranker
    }

    /// The sidecar of a model file, `nil` when there is none; a sidecar that cannot be read (see
    /// `ModelSidecar.read`) or has a key of the wrong type is an error that names the file, not a silently
    /// ignored setting.
    public static func load(forModelAt path: String) throws(InferenceError) -> RKLLMSidecar? {
        guard let sidecar = try ModelSidecar.read(forModelAt: path) else { return nil }
        let decoded: RKLLMSidecar
        do {
            decoded = try JSONDecoder().decode(RKLLMSidecar.self, from: Data(sidecar.bytes))
        } catch let error as DecodingError {
            throw ModelSidecar.failure(forModelAt: path, Self.describe(error))
        } catch {
            throw ModelSidecar.failure(forModelAt: path, "cannot be decoded")
        }
        if let batchSize = decoded.batchSize, !batchSizes.contains(batchSize) {
            throw ModelSidecar.failure(
                forModelAt: path,
                "\"n_batch\" must be from \(batchSizes.lowerBound) to \(batchSizes.upperBound), not \(batchSize)")
        }
        if let problem = decoded.vision?.problem {
            throw ModelSidecar.failure(forModelAt: path, problem)
        }
        return decoded
    }

    /// A decoding error in plain words: which key is wrong and how.
    private static func describe(_ error: DecodingError) -> String {
        func key(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context): return "\"\(key(context.codingPath))\" must be \(name(of: type))"
        case .valueNotFound(let type, let context):
            return "\"\(key(context.codingPath))\" must be \(name(of: type)), not null"
        case .keyNotFound(let missing, let context):
            return "\"\(key(context.codingPath + [missing]))\" is required"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "\"\(key(context.codingPath))\" is not valid"
        @unknown default: return "cannot be decoded"
        }
    }

    private static func name(of type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type: "an integer"
        case is Double.Type: "a number"
        default: "an object"
        }
    }
}

import FoundationEssentials
public import InferenceCore

/// The optional `<model file>.json` beside an `.rkllm` file: what the file itself cannot say.
///
/// ```json
/// {"name": "qwen3-0.6b", "family": "qwen3", "context_length": 16384, "max_new_tokens": 2048,
///  "thinking": true, "base_domain_id": 0, "embed_flash": true, "n_keep": -1,
///  "template": {"system_prefix": "<|im_start|>system\n", "system_suffix": "<|im_end|>\n",
///               "user_prefix": "<|im_start|>user\n", "user_suffix": "<|im_end|>\n",
///               "assistant_prefix": "<|im_start|>assistant\n", "assistant_suffix": "<|im_end|>\n",
///               "no_thinking_suffix": "<think>\n\n</think>\n\n", "has_system_role": true},
///  "sampling": {"temperature": 0.7, "top_k": 20, "top_p": 0.8, "repeat_penalty": 1.05,
///               "frequency_penalty": 0, "presence_penalty": 0}}
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

    enum CodingKeys: String, CodingKey {
        case name, family, thinking, template, sampling
        case contextLength = "context_length", maxNewTokens = "max_new_tokens"
        case baseDomainID = "base_domain_id", embedFlash = "embed_flash", keep = "n_keep"
        case chatTemplate = "chat_template"
    }

    /// The sidecar of a model file, `nil` when there is none; a sidecar that cannot be read is an error
    /// that names the file, not a silently ignored setting.
    public static func load(forModelAt path: String) throws(InferenceError) -> RKLLMSidecar? {
        let sidecarPath = path + ".json"
        guard FileManager.default.fileExists(atPath: sidecarPath) else { return nil }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: sidecarPath))
            return try JSONDecoder().decode(RKLLMSidecar.self, from: data)
        } catch {
            throw .modelLoadFailed(model: PathNames.fileName(path), reason: "cannot read \(sidecarPath): \(error)")
        }
    }
}

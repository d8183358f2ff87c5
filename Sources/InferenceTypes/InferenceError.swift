/// Every failure the core and the engines report. Each API dialect maps each case to its own status and shape.
public enum InferenceError: Error, Sendable, Equatable, Codable {
    /// No model of that name is in the models directory.
    case modelNotFound(String)
    /// The runtime library a model needs could not be loaded (missing, wrong version, missing symbols).
    case runtimeUnavailable(String)
    /// The runtime refused to load the model file.
    case modelLoadFailed(model: String, reason: String)
    /// The model cannot take more requests now; retry after the given seconds.
    case busy(retryAfterSeconds: Int)
    /// The prompt does not fit the model's context.
    case contextOverflow(promptTokens: Int, contextSize: Int)
    /// The request is well-formed JSON but asks for something invalid.
    case invalidRequest(String)
    /// The requested response format (its JSON schema) cannot be turned into a grammar.
    case invalidResponseFormat(String)
    /// The consumer went away before the generation ended.
    case cancelled
    /// The runtime failed while generating.
    case engineFailure(String)
    /// A model could not be pulled; `kind` says what went wrong, for a dialect to choose its answer.
    case pullFailed(reason: String, kind: PullFailure)
    /// The model has no named prompt cache of that name.
    case promptCacheNotFound(name: String, model: String)
    /// The named prompt cache cannot serve this model: it was made with another model file or runtime.
    case promptCacheMismatch(String)
}

extension InferenceError: CustomStringConvertible {
    /// A message meant for the client, naming the cause.
    public var description: String {
        switch self {
        case .modelNotFound(let name): "model '\(name)' not found"
        case .runtimeUnavailable(let reason): "runtime unavailable: \(reason)"
        case .modelLoadFailed(let model, let reason): "failed to load model '\(model)': \(reason)"
        case .busy: "server busy, please try again"
        case .contextOverflow(let prompt, let context):
            "the prompt has \(prompt) tokens, which does not fit the model's context of \(context) tokens"
        case .invalidRequest(let reason), .invalidResponseFormat(let reason): reason
        case .cancelled: "the request was cancelled"
        case .engineFailure(let reason): "generation failed: \(reason)"
        case .pullFailed(let reason, _): reason
        case .promptCacheNotFound(let name, let model): "no prompt cache named '\(name)' for model '\(model)'"
        case .promptCacheMismatch(let reason): reason
        }
    }
}

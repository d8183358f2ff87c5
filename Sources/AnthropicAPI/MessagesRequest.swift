import InferenceCore
import InferenceTypes
import OrderedJSON

/// The body of `POST /v1/messages` (and of `/v1/messages/count_tokens`) read into the core's request.
///
/// Fields: `model`, `max_tokens` (required for messages), `system`, `messages`, `tools`, `tool_choice`,
/// `stop_sequences`, `temperature`, `top_p`, `top_k`, `thinking`, `output_config` (`effort`, `format`),
/// `output_format`, `metadata`, `stream`, and ours: `num_ctx` (the context to run with), `use_cache` (a named
/// prompt cache) and `lora` (an RKLLM model's LoRA adapter). Other fields are ignored, as Anthropic's beta fields
/// come and go.
struct MessagesRequest {
    /// The core's request.
    var generation: GenerationRequest
    /// Whether the answer is streamed as server-sent events.
    var isStreaming: Bool

    /// Reads and checks a body; throws a 400 naming the field at fault.
    /// - Parameter counting: a `count_tokens` body, which has no `max_tokens`.
    init(_ document: JSONValue, counting: Bool = false) throws(AnthropicError) {
        let body = try WireObject(document, path: "")
        let model = try body.requiredString("model")
        guard !model.isEmpty else { throw .invalidRequest("model: must not be empty") }
        let maxTokens = try body.int("max_tokens")
        if !counting {
            guard let maxTokens else { throw .invalidRequest("max_tokens: Field required") }
            guard maxTokens >= 1 else { throw .invalidRequest("max_tokens: must be at least 1, got \(maxTokens)") }
        }
        let conversation = try MessagesConversation(system: body["system"], messages: body["messages"])
        generation = GenerationRequest(
            model: model, input: .chat(conversation.messages), maxTokens: counting ? nil : maxTokens,
            stop: try Self.stops(body), sampling: try Self.sampling(body))
        isStreaming = try body.bool("stream") ?? false
        generation.tools = try MessagesTools.tools(body.array("tools"))
        let choice = try MessagesTools.choice(body.object("tool_choice"), tools: generation.tools)
        generation.toolChoice = choice.choice
        generation.parallelToolCalls = choice.parallel
        try readThinking(body)
        try readOutputConfiguration(body)
        _ = try body.object("metadata")
        if let context = try body.int("num_ctx") {
            guard context >= 1 else { throw .invalidRequest("num_ctx: must be at least 1, got \(context)") }
            generation.contextLength = context
        }
        generation.useCache = try body.string("use_cache")
        generation.lora = try body.string("lora")
    }

    private static func stops(_ body: WireObject) throws(AnthropicError) -> [String] {
        guard let values = try body.array("stop_sequences") else { return [] }
        return try values.enumerated().map { index, value throws(AnthropicError) in
            guard let stop = value.stringValue else {
                throw .invalidRequest("stop_sequences[\(index)]: Input should be a string")
            }
            return stop
        }
    }

    private static func sampling(_ body: WireObject) throws(AnthropicError) -> SamplingOptions {
        let temperature = try body.double("temperature")
        let topP = try body.double("top_p")
        let topK = try body.int("top_k")
        if let temperature, !(0...1).contains(temperature) {
            throw .invalidRequest("temperature: must be between 0 and 1, got \(temperature)")
        }
        if let topP, !(0...1).contains(topP) { throw .invalidRequest("top_p: must be between 0 and 1, got \(topP)") }
        if let topK, topK < 0 { throw .invalidRequest("top_k: must not be negative, got \(topK)") }
        return SamplingOptions(temperature: temperature, topK: topK, topP: topP)
    }

    /// `thinking`: `{"type":"enabled","budget_tokens":N}` thinks with a budget of N tokens, `disabled` does not,
    /// `adaptive` and `between_tools` think as the model sees fit.
    private mutating func readThinking(_ body: WireObject) throws(AnthropicError) {
        guard let thinking = try body.object("thinking") else { return }
        switch try thinking.requiredString("type") {
        case "enabled":
            guard let budget = try thinking.int("budget_tokens") else {
                throw .invalidRequest("thinking.enabled.budget_tokens: Field required")
            }
            guard budget >= 1 else {
                throw .invalidRequest("thinking.enabled.budget_tokens: must be at least 1, got \(budget)")
            }
            if let maxTokens = generation.maxTokens, budget >= maxTokens {
                throw .invalidRequest(
                    "max_tokens must be greater than thinking.budget_tokens (\(maxTokens) <= \(budget))")
            }
            generation.thinking = true
            generation.reasoningBudget = budget
        case "disabled":
            generation.thinking = false
        case "adaptive", "between_tools":
            generation.thinking = true
        case let other:
            throw .invalidRequest(
                "thinking.type: '\(other)' is not one of 'enabled', 'disabled', 'adaptive', 'between_tools'")
        }
    }

    /// `output_config.effort` (how hard to think) and the structured-output format, `output_config.format` or
    /// the older `output_format`: `{"type":"json_schema","schema":{...}}`.
    private mutating func readOutputConfiguration(_ body: WireObject) throws(AnthropicError) {
        let configuration = try body.object("output_config")
        if let effort = try configuration?.string("effort") {
            guard let level = ReasoningEffort(rawValue: effort) else {
                let levels = ReasoningEffort.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw .invalidRequest("output_config.effort: '\(effort)' is not one of \(levels)")
            }
            generation.reasoningEffort = level
        }
        var format = try configuration?.object("format")
        if format == nil { format = try body.object("output_format") }
        guard let format else { return }
        let type = try format.requiredString("type")
        guard type == "json_schema" else {
            throw .invalidRequest("\(format.path("type")): '\(type)' is not 'json_schema'")
        }
        guard let schema = try format.object("schema") else {
            throw .invalidRequest("\(format.path("schema")): Field required")
        }
        generation.responseFormat = ResponseFormat(schema: schema.value)
    }
}

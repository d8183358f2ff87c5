import InferenceCore
import InferenceTypes
import OrderedJSON

/// A Responses request read into what the core and the store need.
struct ResponsesPlan: Sendable {
    /// What the core generates.
    var request: GenerationRequest
    /// The turns a follow-up continues: the earlier response's, then this input (without `instructions`,
    /// which OpenAI does not carry over).
    var conversation: [ChatMessage]
    /// What the response echoes.
    var settings: ResponseSettings
}

extension ResponsesRequest {
    /// Checks the request and maps it to the core's request, after the conversation `previous` of the
    /// response it follows; throws a 400 naming the field at fault.
    /// - Parameter model: the model to use when the body names none (`input_tokens`); `nil` makes it a 400.
    func plan(previous: [ChatMessage] = [], defaultModel: String? = nil) throws(OpenAIError) -> ResponsesPlan {
        guard let model = model.flatMap({ $0.isEmpty ? nil : $0 }) ?? defaultModel else {
            throw .invalidRequest("'model' must name a model", param: "model")
        }
        try checkUnsupported()
        let conversation = previous + (try ResponsesInput.messages(document["input"]))
        guard !conversation.isEmpty else {
            throw .invalidRequest("'input' must not be empty", param: "input")
        }
        do {
            try ImageSource.checkCount(conversation.reduce(0) { $0 + $1.images.count })
        } catch {
            throw .invalidRequest(error.reason, param: "input")
        }
        let system = instructions.map { [ChatMessage(role: .system, content: $0)] } ?? []
        if let maxOutputTokens, maxOutputTokens < 1 {
            throw .invalidRequest("max_output_tokens must be at least 1", param: "max_output_tokens")
        }
        let (thinking, effort) = try reasoning()
        var request = GenerationRequest(
            model: model, input: .chat(system + conversation), maxTokens: maxOutputTokens,
            sampling: try SamplingValidation.options(
                temperature: temperature, topP: topP, topK: nil, minP: nil, repeatPenalty: nil, presencePenalty: nil,
                frequencyPenalty: nil, seed: nil),
            thinking: thinking)
        request.reasoningEffort = effort
        request.tools = try ResponsesTools.tools(document["tools"])
        request.toolChoice = try ResponsesTools.choice(document["tool_choice"], hasTools: !request.tools.isEmpty)
        request.parallelToolCalls = parallelToolCalls ?? true
        request.responseFormat = try responseFormat()
        request.useCache = useCache
        request.lora = lora
        if let numCtx {
            guard numCtx >= 1 else { throw .invalidRequest("num_ctx must be at least 1", param: "num_ctx") }
            request.contextLength = numCtx
        }
        return ResponsesPlan(request: request, conversation: conversation, settings: ResponseSettings(self))
    }

    /// The fields whose features this server does not have, each a 400 rather than a silent change of meaning.
    private func checkUnsupported() throws(OpenAIError) {
        if background == true {
            throw .invalidRequest(
                "background responses are not supported; leave 'background' false", param: "background")
        }
        if let conversation = document["conversation"], conversation != .null {
            throw .invalidRequest(
                "conversation objects are not supported; continue with 'previous_response_id'", param: "conversation")
        }
        if let truncation, !["auto", "disabled"].contains(truncation) {
            throw .invalidRequest("truncation must be \"auto\" or \"disabled\"", param: "truncation")
        }
        if let metadata, metadata.count > 16 {
            throw .invalidRequest("metadata may hold at most 16 pairs", param: "metadata")
        }
    }

    /// `reasoning.effort`: `none` is no thinking; a level is the core's effort (the model thinks if it can).
    private func reasoning() throws(OpenAIError) -> (thinking: Bool?, effort: ReasoningEffort?) {
        guard let reasoning = document["reasoning"], reasoning != .null else { return (nil, nil) }
        guard case .object = reasoning else {
            throw .invalidRequest("reasoning must be an object", param: "reasoning")
        }
        switch reasoning["effort"] {
        case nil, .null?:
            return (nil, nil)
        case .string("none")?:
            return (false, nil)
        case .string(let name)?:
            if let effort = ReasoningEffort(rawValue: name) { return (nil, effort) }
        default:
            break
        }
        let levels = ["none"] + ReasoningEffort.allCases.map(\.rawValue)
        throw .invalidRequest(
            "reasoning.effort must be one of \(levels.joined(separator: ", "))", param: "reasoning.effort")
    }

    /// `text.format`: `text`, `json_object`, or `json_schema` with its `name`, `schema` and `strict`.
    private func responseFormat() throws(OpenAIError) -> ResponseFormat {
        guard let text = document["text"], text != .null else { return .text }
        guard case .object = text else { throw .invalidRequest("text must be an object", param: "text") }
        let format = text["format"]
        switch format {
        case nil, .null?, .object?: break
        default: throw .invalidRequest("text.format must be an object", param: "text.format")
        }
        do {
            return try OpenAIResponseFormat.format(format)
        } catch {
            throw .invalidRequest(
                "text.format type must be one of \"text\", \"json_object\" or \"json_schema\"", param: "text.format")
        }
    }
}

import InferenceCore
import InferenceTypes
import OrderedJSON

/// A `response` object: what `POST /v1/responses` answers, what the stream's `response.*` events carry and
/// what `GET /v1/responses/{id}` gives back. Fields without a value are sent as `null`, as OpenAI sends them.
struct ResponseObject: Encodable, Sendable {
    /// Why a response is `incomplete`.
    struct IncompleteDetails: Encodable, Sendable {
        var reason: String
    }

    /// Why a response `failed`.
    struct Failure: Encodable, Sendable {
        var code: String
        var message: String
    }

    var id: String
    var createdAt: Int
    var model: String
    /// `in_progress`, `completed`, `incomplete` or `failed`.
    var status: String
    var output: [ResponseOutputItem] = []
    var usage: ResponseUsage?
    var incompleteDetails: IncompleteDetails?
    var error: Failure?
    var settings: ResponseSettings

    private enum CodingKeys: String, CodingKey {
        case id, object, status, background, error, instructions, model, output, reasoning, store, temperature
        case text, tools, truncation, usage, user, metadata
        case createdAt = "created_at"
        case incompleteDetails = "incomplete_details"
        case maxOutputTokens = "max_output_tokens"
        case parallelToolCalls = "parallel_tool_calls"
        case previousResponseID = "previous_response_id"
        case toolChoice = "tool_choice"
        case topP = "top_p"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode("response", forKey: .object)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(status, forKey: .status)
        try container.encode(false, forKey: .background)
        try container.encode(error, forKey: .error)
        try container.encode(incompleteDetails, forKey: .incompleteDetails)
        try container.encode(model, forKey: .model)
        try container.encode(output, forKey: .output)
        try container.encode(usage, forKey: .usage)
        try container.encode(settings.instructions, forKey: .instructions)
        try container.encode(settings.maxOutputTokens, forKey: .maxOutputTokens)
        try container.encode(settings.parallelToolCalls, forKey: .parallelToolCalls)
        try container.encode(settings.previousResponseID, forKey: .previousResponseID)
        try container.encode(settings.reasoning, forKey: .reasoning)
        try container.encode(settings.store, forKey: .store)
        try container.encode(settings.temperature, forKey: .temperature)
        try container.encode(settings.text, forKey: .text)
        try container.encode(settings.toolChoice, forKey: .toolChoice)
        try container.encode(settings.tools, forKey: .tools)
        try container.encode(settings.topP, forKey: .topP)
        try container.encode(settings.truncation, forKey: .truncation)
        try container.encode(settings.user, forKey: .user)
        try container.encode(settings.metadata, forKey: .metadata)
    }
}

/// What every object of one response shares, and the response objects of each of its stages.
struct ResponseReply: Sendable {
    let id: String
    let createdAt: Int
    let model: String
    let settings: ResponseSettings

    /// The response before any output (`response.created`, `response.in_progress`).
    var inProgress: ResponseObject {
        ResponseObject(id: id, createdAt: createdAt, model: model, status: "in_progress", settings: settings)
    }

    /// The finished response: `incomplete` with `max_output_tokens` when the token limit (or the context)
    /// ended it, else `completed`.
    func finished(_ output: [ResponseOutputItem], summary: GenerationSummary) -> ResponseObject {
        var response = ResponseObject(
            id: id, createdAt: createdAt, model: model, status: "completed", output: output,
            usage: ResponseUsage(summary.usage), settings: settings)
        if summary.finishReason == .length {
            response.status = "incomplete"
            response.incompleteDetails = .init(reason: "max_output_tokens")
        }
        return response
    }

    /// The response a failure mid-stream ended, with the output written before it.
    func failed(_ output: [ResponseOutputItem], error: OpenAIError) -> ResponseObject {
        var response = ResponseObject(
            id: id, createdAt: createdAt, model: model, status: "failed", output: output, settings: settings)
        response.error = .init(code: error.code ?? "server_error", message: error.message)
        return response
    }

    /// The output items of a whole answer: its reasoning, its message (left out when the model only called
    /// tools) and its calls.
    func output(of answer: CollectedGeneration, status: String) -> [ResponseOutputItem] {
        var items: [ResponseOutputItem] = []
        if !answer.reasoning.isEmpty {
            items.append(.reasoning(id: ResponseIDs.make("rs"), text: answer.reasoning, status: status))
        }
        if !answer.text.isEmpty || answer.toolCalls.isEmpty {
            items.append(.message(id: ResponseIDs.make("msg"), text: answer.text, status: status))
        }
        for call in answer.toolCalls {
            items.append(.functionCall(id: ResponseIDs.make("fc"), call: call, status: "completed"))
        }
        return items
    }

    /// The assistant turn an output makes in the conversation a follow-up continues.
    static func assistantTurn(_ output: [ResponseOutputItem]) -> ChatMessage {
        var turn = ChatMessage(role: .assistant, content: "")
        for item in output {
            switch item {
            case .reasoning(_, let text, _):
                if let text, !text.isEmpty { turn.reasoning = (turn.reasoning.map { $0 + "\n" } ?? "") + text }
            case .message(_, let text, _):
                turn.content += text ?? ""
            case .functionCall(_, let call, _):
                turn.toolCalls.append(call)
            }
        }
        return turn
    }
}

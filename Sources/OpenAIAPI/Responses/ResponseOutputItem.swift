import InferenceTypes

/// One item of a response's `output`: the model's reasoning (as summary text), its message (one `output_text`
/// part) or a call of one of the request's functions.
enum ResponseOutputItem: Encodable, Sendable {
    /// `{"type": "reasoning", "id", "summary": [{"type": "summary_text", "text"}]}`; `nil` text is the item
    /// as it opens, with no summary yet.
    case reasoning(id: String, text: String?, status: String)
    /// `{"type": "message", "id", "role": "assistant", "status", "content": [{"type": "output_text", ...}]}`;
    /// `nil` text is the item as it opens, with no content yet.
    case message(id: String, text: String?, status: String)
    /// `{"type": "function_call", "id", "call_id", "name", "arguments", "status"}`.
    case functionCall(id: String, call: ToolCall, status: String)

    /// The item's id (`rs_…`, `msg_…`, `fc_…`).
    var id: String {
        switch self {
        case .reasoning(let id, _, _), .message(let id, _, _), .functionCall(let id, _, _): id
        }
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, status, role, content, summary, name, arguments
        case callID = "call_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        switch self {
        case .reasoning(_, let text, let status):
            try container.encode("reasoning", forKey: .type)
            try container.encode(status, forKey: .status)
            try container.encode(text.map { [SummaryText(text: $0)] } ?? [], forKey: .summary)
        case .message(_, let text, let status):
            try container.encode("message", forKey: .type)
            try container.encode(status, forKey: .status)
            try container.encode("assistant", forKey: .role)
            try container.encode(text.map { [OutputText(text: $0)] } ?? [], forKey: .content)
        case .functionCall(_, let call, let status):
            try container.encode("function_call", forKey: .type)
            try container.encode(status, forKey: .status)
            try container.encode(call.id, forKey: .callID)
            try container.encode(call.name, forKey: .name)
            try container.encode(call.arguments, forKey: .arguments)
        }
    }
}

/// An `output_text` content part.
struct OutputText: Encodable, Sendable {
    var type = "output_text"
    var text: String
    var annotations: [String] = []
    var logprobs: [String] = []
}

/// A `summary_text` part of a reasoning item.
struct SummaryText: Encodable, Sendable {
    var type = "summary_text"
    var text: String
}

/// `usage` in the Responses shape.
struct ResponseUsage: Encodable, Sendable {
    struct InputDetails: Encodable, Sendable {
        var cachedTokens: Int
        enum CodingKeys: String, CodingKey { case cachedTokens = "cached_tokens" }
    }

    struct OutputDetails: Encodable, Sendable {
        var reasoningTokens: Int
        enum CodingKeys: String, CodingKey { case reasoningTokens = "reasoning_tokens" }
    }

    var inputTokens: Int
    var inputTokensDetails: InputDetails
    var outputTokens: Int
    var outputTokensDetails: OutputDetails
    var totalTokens: Int

    enum CodingKeys: String, CodingKey {
        case inputTokens = "input_tokens"
        case inputTokensDetails = "input_tokens_details"
        case outputTokens = "output_tokens"
        case outputTokensDetails = "output_tokens_details"
        case totalTokens = "total_tokens"
    }

    init(_ usage: Usage) {
        inputTokens = usage.promptTokens
        inputTokensDetails = InputDetails(cachedTokens: usage.cachedTokens)
        outputTokens = usage.completionTokens
        outputTokensDetails = OutputDetails(reasoningTokens: usage.reasoningTokens)
        totalTokens = usage.totalTokens
    }
}

public import DialectSupport
public import OrderedJSON

/// The body of `POST /v1/responses` and of `POST /v1/responses/input_tokens`. Fields this server does not know
/// are ignored.
///
/// `input`, `tools`, `tool_choice`, `text` and `reasoning` are read from the body's `document`, which keeps the
/// client's key order (schemas and tools are shown to the model as the client wrote them) and lets each item be
/// checked with an error naming its place.
public struct ResponsesRequest: Decodable, Sendable, DocumentCarrying {
    /// The model; required by `/v1/responses`, optional for `input_tokens` (the default model).
    public var model: String?
    public var stream: Bool?
    /// Whether the response is kept for `previous_response_id` and `GET /v1/responses/{id}` (OpenAI's default
    /// is to keep it).
    public var store: Bool?
    /// A system message put before the input; not carried over to follow-ups.
    public var instructions: String?
    public var previousResponseID: String?
    public var maxOutputTokens: Int?
    public var temperature: Double?
    public var topP: Double?
    public var parallelToolCalls: Bool?
    /// Up to 16 string pairs, echoed in the response.
    public var metadata: [String: String]?
    public var user: String?
    /// `disabled` or `auto`; this server never drops input items, so an input too long is a 400 either way.
    public var truncation: String?
    /// Background responses are not supported; `true` is a 400.
    public var background: Bool?
    /// The context the model should have (our extension, as on chat completions).
    public var numCtx: Int?
    /// The named prompt cache to start from (`POST /v1/cache/{model}`), as on chat completions.
    public var useCache: String?
    /// The LoRA adapter to run with, by name (our extension, as on chat completions).
    public var lora: String?
    /// The whole body, in the client's key order.
    public var document: JSONValue = .null

    enum CodingKeys: String, CodingKey {
        case model, stream, store, instructions, temperature, metadata, user, truncation, background
        case previousResponseID = "previous_response_id"
        case maxOutputTokens = "max_output_tokens"
        case topP = "top_p"
        case parallelToolCalls = "parallel_tool_calls"
        case numCtx = "num_ctx"
        case useCache = "use_cache"
        case lora
    }

    /// Whether the answer is streamed (OpenAI's default is not to).
    public var isStreaming: Bool { stream ?? false }

    /// Whether the response is kept after it is answered.
    public var isStored: Bool { store ?? true }
}

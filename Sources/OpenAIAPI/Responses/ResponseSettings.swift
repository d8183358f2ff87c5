import OrderedJSON

/// What a response echoes of its request (the fields the SDK's `Response` type carries), in the client's
/// spelling: its tools as sent, its `tool_choice`, `text`, `reasoning` and `metadata` objects.
struct ResponseSettings: Sendable {
    var instructions: String?
    var tools: JSONValue = []
    var toolChoice: JSONValue = "auto"
    var temperature: Double?
    var topP: Double?
    var parallelToolCalls = true
    var text: JSONValue = ["format": ["type": "text"]]
    var reasoning: JSONValue = ["effort": nil, "summary": nil]
    var maxOutputTokens: Int?
    var previousResponseID: String?
    var store = true
    var metadata: JSONValue = [:]
    var user: String?
    var truncation = "disabled"

    /// The echo of a request's body.
    init(_ body: ResponsesRequest) {
        let document = body.document
        instructions = body.instructions
        if let tools = document["tools"], tools != .null { self.tools = tools }
        toolChoice = Self.present(document["tool_choice"]) ?? (self.tools == [] ? "none" : "auto")
        temperature = body.temperature
        topP = body.topP
        parallelToolCalls = body.parallelToolCalls ?? true
        if let format = Self.present(document["text"]?["format"]) { text = ["format": format] }
        if let reasoning = Self.present(document["reasoning"]) { self.reasoning = reasoning }
        maxOutputTokens = body.maxOutputTokens
        previousResponseID = body.previousResponseID
        store = body.isStored
        if let metadata = Self.present(document["metadata"]) { self.metadata = metadata }
        user = body.user
        truncation = body.truncation ?? "disabled"
    }

    private static func present(_ value: JSONValue?) -> JSONValue? {
        value == .null ? nil : value
    }
}

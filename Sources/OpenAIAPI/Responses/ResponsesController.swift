import DialectSupport
import FoundationEssentials
public import Hummingbird
public import InferenceCore
import InferenceTypes

/// OpenAI's Responses API, mounted under `/v1`: `POST /v1/responses`, `POST /v1/responses/input_tokens`, and
/// `GET`/`DELETE /v1/responses/{id}` for the responses this server keeps.
///
/// A response is answered by the core's chat machinery (reasoning, tool calls, structured output, prompt caches);
/// this controller only reads the Responses wire and frames the answer. Recent responses are kept in memory
/// (`ResponseStore`: the last 64, at most 16 MiB) so that `previous_response_id` continues their conversation.
public struct ResponsesController<Context: RequestContext>: Sendable {
    let service: any InferenceServing
    let maxBodyBytes: Int
    let store: ResponseStore

    /// Creates the controller; request bodies larger than `maxBodyBytes` get a 413.
    public init(service: any InferenceServing, maxBodyBytes: Int) {
        self.init(service: service, maxBodyBytes: maxBodyBytes, store: ResponseStore())
    }

    init(service: any InferenceServing, maxBodyBytes: Int, store: ResponseStore) {
        self.service = service
        self.maxBodyBytes = maxBodyBytes
        self.store = store
    }

    /// Adds the routes to a group (normally `/v1`).
    public func addRoutes(to group: RouterGroup<Context>) {
        group.post("responses", use: create)
        group.post("responses/input_tokens", use: inputTokens)
        group.get("responses/:id", use: retrieve)
        group.delete("responses/:id", use: delete)
    }

    @Sendable func create(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await JSONRequestDecoding.decode(ResponsesRequest.self, from: &request, limit: maxBodyBytes)
            let plan = try body.plan(previous: try previousConversation(body))
            let client = ClientConnection.of(context)
            let generationRequest = try await service.fetchingImages(plan.request)
            let generation = try await client.whileConnected { try await service.generate(generationRequest) }
            let stream = GenerationStream(generation, client: client)
            let reply = ResponseReply(
                id: ResponseIDs.make("resp"), createdAt: Int(Date().timeIntervalSince1970), model: generation.model.id,
                settings: plan.settings)
            let store = body.isStored ? self.store : nil
            let conversation = plan.conversation
            guard body.isStreaming else {
                let answer = try await stream.collect()
                let status = answer.summary.finishReason == .length ? "incomplete" : "completed"
                let response = reply.finished(reply.output(of: answer, status: status), summary: answer.summary)
                store?.put(response, conversation: conversation + [ResponseReply.assistantTurn(response.output)])
                return try JSONResponse.make(response)
            }
            let events = ResponseEventStream(reply: reply) { finished in
                store?.put(finished, conversation: conversation + [ResponseReply.assistantTurn(finished.output)])
            }
            let opening = try events.opening()
            return Response(
                status: .ok, headers: ServerSentEvents.headers,
                body: ResponseBody { writer in
                    try await stream.stream(to: &writer, prelude: opening) { event in
                        try events.frames(for: event)
                    } failure: { error in
                        events.failure(error)
                    }
                })
        }
    }

    /// `POST /v1/responses/input_tokens`: the tokens the request's input takes, rendered as a response would
    /// render it; without a model, the default model's.
    @Sendable func inputTokens(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await JSONRequestDecoding.decode(ResponsesRequest.self, from: &request, limit: maxBodyBytes)
            var fallback: String?
            if body.model?.isEmpty != false { fallback = try await service.defaultModel(preferring: nil).id }
            let plan = try body.plan(previous: try previousConversation(body), defaultModel: fallback)
            let client = ClientConnection.of(context)
            let countRequest = try await service.fetchingImages(plan.request)
            let count = try await client.whileConnected { try await service.countTokens(countRequest) }
            return try JSONResponse.make(InputTokensObject(inputTokens: count))
        }
    }

    /// `GET /v1/responses/{id}`: a kept response.
    @Sendable func retrieve(request: Request, context: Context) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let entry = store.entry(id) else { throw Self.notFound(id) }
        return try JSONResponse.make(entry.response)
    }

    /// `DELETE /v1/responses/{id}`: forgets a kept response.
    @Sendable func delete(request: Request, context: Context) async throws -> Response {
        let id = try context.parameters.require("id")
        guard store.remove(id) else { throw Self.notFound(id) }
        return try JSONResponse.make(DeletedResponseObject(id: id))
    }

    /// The conversation of the response `previous_response_id` names; a 400 as OpenAI answers when it is not
    /// kept (never stored, forgotten, or of a server that restarted).
    private func previousConversation(_ body: ResponsesRequest) throws(OpenAIError) -> [ChatMessage] {
        guard let id = body.previousResponseID else { return [] }
        guard let entry = store.entry(id) else {
            throw OpenAIError(
                status: .badRequest,
                message: "Previous response with id '\(id)' not found. This server keeps the last "
                    + "\(store.maxEntries) stored responses in memory, until it restarts.",
                type: "invalid_request_error", param: "previous_response_id", code: "previous_response_not_found")
        }
        return entry.conversation
    }

    private static func notFound(_ id: String) -> OpenAIError {
        OpenAIError(
            status: .notFound, message: "Response with id '\(id)' not found.", type: "invalid_request_error",
            param: "id", code: "response_not_found")
    }

    /// Maps every error to OpenAI's shape, naming this API's fields where the core names chat's.
    private func mapErrors(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            let wire = OpenAIError(any: error)
            let param: String? =
                switch wire.param {
                case "response_format": "text.format"
                case "messages": "input"
                default: wire.param
                }
            throw OpenAIError(
                status: wire.status, message: wire.message, type: wire.type, param: param, code: wire.code,
                retryAfterSeconds: wire.retryAfterSeconds)
        }
    }
}

/// The answer of `POST /v1/responses/input_tokens`.
struct InputTokensObject: Encodable, Sendable {
    var object = "response.input_tokens"
    var inputTokens: Int

    enum CodingKeys: String, CodingKey {
        case object
        case inputTokens = "input_tokens"
    }
}

/// The answer of `DELETE /v1/responses/{id}`.
struct DeletedResponseObject: Encodable, Sendable {
    var id: String
    var object = "response"
    var deleted = true
}

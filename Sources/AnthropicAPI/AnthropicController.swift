import DialectSupport
public import Hummingbird
public import InferenceCore
import InferenceTypes
import OrderedJSON

/// Anthropic's Messages API, mounted under `/v1`: `POST /v1/messages` and `POST /v1/messages/count_tokens`.
///
/// Models are addressed by this server's names. The `x-api-key`, `anthropic-version` and `anthropic-beta`
/// headers are accepted (the key is checked by the server's access control; the others change nothing).
public struct AnthropicController<Context: RequestContext>: Sendable {
    let service: any InferenceServing
    let maxBodyBytes: Int

    /// Creates the controller; request bodies larger than `maxBodyBytes` get a 413.
    public init(service: any InferenceServing, maxBodyBytes: Int) {
        self.service = service
        self.maxBodyBytes = maxBodyBytes
    }

    /// Adds the routes to a group (normally `/v1`).
    public func addRoutes(to group: RouterGroup<Context>) {
        group.post("messages", use: messages)
        group.post("messages/count_tokens", use: countTokens)
    }

    @Sendable func messages(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try MessagesRequest(try await AnthropicBody.read(&request, limit: maxBodyBytes))
            let client = ClientConnection.of(context)
            let generationRequest = try await service.fetchingImages(body.generation)
            let generation = try await client.whileConnected { try await service.generate(generationRequest) }
            let stream = GenerationStream(generation, client: client)
            let reply = MessagesReply(
                id: "msg_\(Self.randomID())", model: generation.model.id, stops: body.generation.stop)
            guard body.isStreaming else {
                let message = reply.message(try await stream.collect())
                return Response(
                    status: .ok, headers: [.contentType: "application/json"],
                    body: .init(byteBuffer: ByteBuffer(string: message.serialized())))
            }
            let encoder = MessagesStreamEncoder(reply: reply)
            return Response(
                status: .ok, headers: MessagesStreamEncoder.headers,
                body: ResponseBody { writer in
                    try await stream.stream(to: &writer, prelude: encoder.opening()) { event in
                        encoder.frames(for: event)
                    } failure: { error in
                        MessagesStreamEncoder.failure(error)
                    }
                })
        }
    }

    @Sendable func countTokens(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try MessagesRequest(try await AnthropicBody.read(&request, limit: maxBodyBytes), counting: true)
            let count = try await service.countTokens(try await service.fetchingImages(body.generation))
            let answer: JSONValue = ["input_tokens": .int(count)]
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: answer.serialized())))
        }
    }

    /// Runs a handler, every error it throws in Anthropic's shape; an unknown model's error lists the models
    /// there are, as a client configured with another server's names needs to know them.
    private func mapErrors(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch InferenceError.modelNotFound(let name) {
            let names = service.availableModels().map(\.id).sorted()
            let known = names.isEmpty ? "no models are available" : "the models are: \(names.joined(separator: ", "))"
            throw AnthropicError(
                status: .notFound, type: "not_found_error", message: "model: \(name) not found; \(known)")
        } catch {
            throw AnthropicError(any: error)
        }
    }

    private static func randomID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<24).map { _ in alphabet.randomElement()! })
    }
}

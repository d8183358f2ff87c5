import DialectSupport
import FoundationEssentials
public import Hummingbird
public import InferenceCore
import InferenceTypes

/// The OpenAI-compatible routes, mounted under `/v1`.
public struct OpenAIController<Context: RequestContext>: Sendable {
    let service: any InferenceServing
    let maxBodyBytes: Int
    let systemFingerprint: String
    let reasoningField: String
    let events = ServerSentEvents()

    /// Creates the controller.
    /// - Parameters:
    ///   - service: the core.
    ///   - maxBodyBytes: the largest request body accepted; larger ones get a 413.
    ///   - systemFingerprint: sent as `system_fingerprint`, naming the build that answered.
    ///   - reasoningField: the key of the model's reasoning in messages and deltas: `reasoning_content`
    ///     (llama.cpp, vLLM, DeepSeek) or `reasoning` (Ollama's `/v1`, OpenRouter).
    public init(
        service: any InferenceServing, maxBodyBytes: Int, systemFingerprint: String,
        reasoningField: String = "reasoning_content"
    ) {
        self.service = service
        self.maxBodyBytes = maxBodyBytes
        self.systemFingerprint = systemFingerprint
        self.reasoningField = reasoningField
    }

    /// Adds the routes to a group (normally `/v1`).
    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("models", use: listModels)
        group.get("models/**", use: getModel)
        group.post("chat/completions", use: chatCompletions)
        group.post("completions", use: completions)
        group.post("embeddings", use: embeddings)
        addRerankRoutes(to: group)
        addPromptCacheRoutes(to: group)
    }

    @Sendable func listModels(request: Request, context: Context) async throws -> Response {
        try json(ModelList(data: service.availableModels().map(ModelObject.init)))
    }

    @Sendable func getModel(request: Request, context: Context) async throws -> Response {
        let id = context.parameters.getCatchAll().joined(separator: "/")
        do {
            return try json(ModelObject(service.model(named: id)))
        } catch {
            throw OpenAIError(any: error)
        }
    }

    @Sendable func chatCompletions(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await JSONRequestDecoding.decode(
                ChatCompletionRequest.self, from: &request, limit: maxBodyBytes)
            let generationRequest = try await service.fetchingImages(try body.generationRequest())
            let client = ClientConnection.of(context)
            let generation = try await client.whileConnected { try await service.generate(generationRequest) }
            let stream = GenerationStream(generation, client: client)
            let reply = ReplyContext(
                id: "chatcmpl-\(Self.randomID())", created: Int(Date().timeIntervalSince1970),
                model: generation.model.id, fingerprint: systemFingerprint, reasoningField: reasoningField)
            guard body.isStreaming else {
                return try json(reply.chatCompletion(try await stream.collect(), logprobs: body.logprobs == true))
            }
            let includeUsage = body.streamOptions?.includeUsage ?? false
            let events = self.events
            let opening = try events.event(reply.chatOpening(includeUsage: includeUsage))
            let deltas = try TextDeltaFrames {
                try events.event(reply.chatChunks(for: .text($0), includeUsage: includeUsage)[0])
            }
            return sse(stream: stream, prelude: [opening]) { event in
                if case .text(let text) = event { return [deltas.frame(text)] }
                return try reply.chatChunks(for: event, includeUsage: includeUsage).map { try events.event($0) }
            }
        }
    }

    @Sendable func completions(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await JSONRequestDecoding.decode(CompletionRequest.self, from: &request, limit: maxBodyBytes)
            let generationRequest = try body.generationRequest()
            let client = ClientConnection.of(context)
            let generation = try await client.whileConnected { try await service.generate(generationRequest) }
            let stream = GenerationStream(generation, client: client)
            let reply = ReplyContext(
                id: "cmpl-\(Self.randomID())", created: Int(Date().timeIntervalSince1970),
                model: generation.model.id, fingerprint: systemFingerprint)
            guard body.isStreaming else {
                return try json(reply.completion(try await stream.collect(), logprobs: body.logprobs != nil))
            }
            let includeUsage = body.streamOptions?.includeUsage ?? false
            let events = self.events
            let deltas = try TextDeltaFrames {
                try events.event(reply.completionChunks(for: .text($0), includeUsage: includeUsage)[0])
            }
            return sse(stream: stream, prelude: []) { event in
                if case .text(let text) = event { return [deltas.frame(text)] }
                return try reply.completionChunks(for: event, includeUsage: includeUsage).map { try events.event($0) }
            }
        }
    }

    @Sendable func embeddings(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await JSONRequestDecoding.decode(EmbeddingsRequest.self, from: &request, limit: maxBodyBytes)
            let (texts, encoding) = try body.validated()
            let embedding: (model: ModelDescriptor, result: EmbeddingResult, loadNanos: UInt64)
            do {
                embedding = try await service.embed(model: body.model, inputs: texts, truncate: false)
            } catch let error as InferenceError {
                guard case .contextOverflow = error else { throw error }
                let wire = OpenAIError(error)
                throw OpenAIError(
                    status: wire.status, message: wire.message, type: wire.type, param: "input", code: wire.code)
            }
            try body.checkDimensions(embedding.result.vectors.first?.count ?? 0)
            return try json(EmbeddingsResponse(model: embedding.model.id, result: embedding.result, encoding: encoding))
        }
    }

    private func sse(
        stream: GenerationStream, prelude: [ByteBuffer],
        encode: @escaping @Sendable (GenerationEvent) throws -> [ByteBuffer]
    ) -> Response {
        let events = self.events
        return Response(
            status: .ok, headers: ServerSentEvents.headers,
            body: ResponseBody { writer in
                try await stream.stream(to: &writer, prelude: prelude) { event in
                    var buffers = try encode(event)
                    if case .done = event { buffers.append(ServerSentEvents.done) }
                    return buffers
                } failure: { error in
                    (try? events.event(OpenAIError(any: error).body)) ?? ServerSentEvents.done
                }
            })
    }

    private func mapErrors(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            throw OpenAIError(any: error)
        }
    }

    private func json(_ value: some Encodable) throws -> Response {
        try JSONResponse.make(value)
    }

    private static func randomID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        return String((0..<24).map { _ in alphabet.randomElement()! })
    }
}

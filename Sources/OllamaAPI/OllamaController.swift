import DialectSupport
import FoundationEssentials
public import Hummingbird
public import InferenceCore
import InferenceTypes

/// The Ollama-compatible routes: `/`, `/api/...`.
public struct OllamaController<Context: RequestContext>: Sendable {
    /// The Ollama API version reported by `/api/version`: the Ollama release whose API this server follows.
    /// Clients check it (VS Code Copilot needs at least 0.6.4, Open WebUI parses it as numbers); the
    /// server's own version is in the `Server` header.
    public static var apiVersion: String { "0.30.0" }

    let service: any InferenceServing
    let maxBodyBytes: Int

    /// Creates the controller.
    public init(service: any InferenceServing, maxBodyBytes: Int) {
        self.service = service
        self.maxBodyBytes = maxBodyBytes
    }

    /// Adds the routes to the router's root.
    public func addRoutes(to router: Router<Context>) {
        router.get("/", use: running)
        router.get("api/version", use: version)
        router.get("api/tags", use: tags)
        router.get("api/ps", use: running(request:context:))
        router.post("api/show", use: show)
        router.post("api/copy", use: copy)
        router.delete("api/delete", use: delete)
        router.post("api/generate", use: generate)
        router.post("api/chat", use: chat)
        router.post("api/embed", use: embed)
        router.post("api/embeddings", use: embeddings)
        router.post("api/pull", use: pull)
        router.post("api/create", use: create)
        router.head("api/blobs/:digest", use: hasBlob)
        router.post("api/blobs/:digest", use: uploadBlob)
        router.get("api/status", use: status)
    }

    @Sendable func running(request: Request, context: Context) async throws -> Response {
        if request.uri.path == "/api/ps" { return try await ps() }
        let body = ByteBuffer(string: "Ollama is running")
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: body))
    }

    @Sendable func version(request: Request, context: Context) async throws -> Response {
        try json(["version": Self.apiVersion])
    }

    @Sendable func tags(request: Request, context: Context) async throws -> Response {
        let models = service.availableModels()
        var entries: [OllamaTagsEntry] = []
        for model in models {
            entries.append(
                OllamaTagsEntry(
                    model, details: service.details(of: model), capabilities: await service.capabilities(of: model),
                    parent: parent(of: model, among: models)))
        }
        return try json(OllamaModelList(models: entries))
    }

    /// `GET /api/status`: no cloud here, as Ollama says when its cloud models are turned off.
    @Sendable func status(request: Request, context: Context) async throws -> Response {
        try json(OllamaStatus())
    }

    /// The Ollama name of a derived model's base (its `parent_model`); empty for a model file.
    func parent(of model: ModelDescriptor, among models: [ModelDescriptor]) -> String {
        guard let derived = service.derivedModel(of: model),
            let base = models.first(where: { $0.fileName == derived.from && $0.id != model.id })
        else { return "" }
        return OllamaNames.name(base)
    }

    private func ps() async throws -> Response {
        try json(
            OllamaModelList(
                models: await service.loadedModels().map {
                    OllamaRunningEntry($0, details: service.details(of: $0.descriptor))
                }))
    }

    @Sendable func show(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await OllamaRequestDecoding.decode(
                OllamaShowRequest.self, from: &request, limit: maxBodyBytes)
            guard let name = body.model ?? body.name, !name.isEmpty else {
                throw OllamaError.badRequest("model is required")
            }
            let model = try service.model(named: OllamaNames.resolvable(name))
            let loaded = await service.loadedModels().first { $0.descriptor.path == model.path }
            return try json(
                OllamaShowResponse(
                    model, details: service.details(of: model), capabilities: await service.capabilities(of: model),
                    derived: service.derivedModel(of: model),
                    parent: parent(of: model, among: service.availableModels()),
                    parameterCount: loaded?.info.parameterCount, adapters: await service.loraAdapters(of: model)))
        }
    }

    @Sendable func copy(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await OllamaRequestDecoding.decode(
                OllamaCopyRequest.self, from: &request, limit: maxBodyBytes)
            let source = try service.model(named: OllamaNames.resolvable(body.source))
            _ = try service.copy(source, to: OllamaNames.resolvable(body.destination))
            return Response(status: .ok)
        }
    }

    @Sendable func delete(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await OllamaRequestDecoding.decode(
                OllamaDeleteRequest.self, from: &request, limit: maxBodyBytes)
            guard let name = body.model ?? body.name, !name.isEmpty else {
                throw OllamaError.badRequest("model is required")
            }
            let model = try service.model(named: OllamaNames.resolvable(name))
            try await service.delete(model)
            return Response(status: .ok)
        }
    }

    /// Runs a handler and reports whatever it throws in Ollama's shape.
    func mapErrors(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            throw OllamaError(any: error)
        }
    }

    /// A JSON response.
    func json(_ value: some Encodable) throws -> Response {
        try JSONResponse.make(value, contentType: "application/json; charset=utf-8")
    }
}

/// `{"models": [...]}`, the shape of `/api/tags` and `/api/ps`.
struct OllamaModelList<Entry: Encodable & Sendable>: Encodable, Sendable {
    var models: [Entry]
}

/// The body of `POST /api/copy`.
struct OllamaCopyRequest: Decodable, Sendable {
    var source: String
    var destination: String
}

/// The body of `DELETE /api/delete`; `name` is the older spelling of `model`.
struct OllamaDeleteRequest: Decodable, Sendable {
    var model: String?
    var name: String?
}

/// The answer of `GET /api/status`: cloud models are off, by the server's own setting.
struct OllamaStatus: Encodable, Sendable {
    struct Cloud: Encodable, Sendable {
        var disabled = true
        var source = "server"
    }

    var cloud = Cloud()
}

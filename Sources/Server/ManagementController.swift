import DialectSupport
import FoundationEssentials
public import Hummingbird
public import InferenceCore
import InferenceTypes
import OpenAIAPI

/// The original design's model management routes under `/v1/models`: what can be served, what is
/// loaded, load and unload.
public struct ManagementController<Context: RequestContext>: Sendable {
    let service: any InferenceServing
    let maxBodyBytes: Int

    /// Creates the controller.
    public init(service: any InferenceServing, maxBodyBytes: Int) {
        self.service = service
        self.maxBodyBytes = maxBodyBytes
    }

    /// Adds the routes to the `/v1` group.
    public func addRoutes(to group: RouterGroup<Context>) {
        group.get("models/available", use: available)
        group.get("models/loaded", use: loaded)
        group.post("models/load", use: load)
        group.post("models/unload", use: unload)
    }

    @Sendable func available(request: Request, context: Context) async throws -> Response {
        let loaded = Set(await service.loadedModels().map(\.descriptor.path))
        return try json(
            ManagedModelList(
                data: service.availableModels().map {
                    AvailableModel($0, details: service.details(of: $0), loaded: loaded)
                }))
    }

    @Sendable func loaded(request: Request, context: Context) async throws -> Response {
        try json(ManagedModelList(data: await service.loadedModels().map(LoadedModelView.init)))
    }

    @Sendable func load(request: Request, context: Context) async throws -> Response {
        do {
            var request = request
            let body = try await JSONRequestDecoding.decode(LoadRequest.self, from: &request, limit: maxBodyBytes)
            let keepAlive = try body.keepAlive.map { text throws(OpenAIError) -> KeepAlive in
                guard let value = KeepAlive(duration: text) ?? Double(text).map(KeepAlive.init(seconds:)) else {
                    throw .invalidRequest("keep_alive \"\(text)\" is not a duration", param: "keep_alive")
                }
                return value
            }
            let loaded = try await service.load(body.model, keepAlive: keepAlive)
            return try json(
                LoadResult(
                    id: loaded.model.id, loaded: true, alreadyLoaded: loaded.loadNanos == 0,
                    loadMs: Double(loaded.loadNanos) / 1e6))
        } catch {
            throw OpenAIError(any: error)
        }
    }

    @Sendable func unload(request: Request, context: Context) async throws -> Response {
        do {
            var request = request
            let body = try await JSONRequestDecoding.decode(
                UnloadRequest.self, from: &request, limit: maxBodyBytes, ifEmpty: UnloadRequest())
            let targets: [ModelDescriptor]
            if let name = body.model {
                targets = [try service.model(named: name)]
            } else {
                targets = await service.loadedModels().map(\.descriptor)
            }
            var unloaded: [String] = []
            for target in targets where await service.unload(target) { unloaded.append(target.id) }
            return try json(UnloadResult(unloaded: unloaded))
        } catch {
            throw OpenAIError(any: error)
        }
    }

    private func json(_ value: some Encodable) throws -> Response {
        try JSONResponse.make(value)
    }
}

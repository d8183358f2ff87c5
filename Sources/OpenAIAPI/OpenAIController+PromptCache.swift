import DialectSupport
import Hummingbird
import InferenceCore
import InferenceTypes

extension OpenAIController {
    /// Adds the named prompt cache routes (the original design's): `POST /cache/{model}` makes one,
    /// `GET /cache/{model}` lists them, `DELETE /cache/{model}/{name}` removes one. Model ids may hold `/`:
    /// the model is the rest of the path (for `DELETE`, all of it but the last part, the cache's name).
    func addPromptCacheRoutes(to group: RouterGroup<Context>) {
        group.post("cache/**", use: createPromptCache)
        group.get("cache/**", use: listPromptCaches)
        group.delete("cache/**", use: deletePromptCache)
    }

    /// The path after `cache/`, split at `/`; a 404 when it is empty.
    private func cachePath(_ context: Context) throws -> [String] {
        let parts = context.parameters.getCatchAll().map(String.init).filter { !$0.isEmpty }
        guard !parts.isEmpty else {
            throw OpenAIError(status: .notFound, message: "name a model: /v1/cache/{model}", type: "not_found_error")
        }
        return parts
    }

    /// `POST /v1/cache/{model}` `{"cache_name", "prompt"}`: 201 with the cache.
    @Sendable func createPromptCache(request: Request, context: Context) async throws -> Response {
        do {
            var request = request
            let body = try await JSONRequestDecoding.decode(
                PromptCacheRequest.self, from: &request, limit: maxBodyBytes)
            let model = try cachePath(context).joined(separator: "/")
            let client = ClientConnection.of(context)
            let entry = try await client.whileConnected {
                try await service.savePromptCache(model: model, name: body.cacheName, prompt: body.prompt)
            }
            var response = try JSONResponse.make(PromptCacheObject(entry))
            response.status = .created
            return response
        } catch {
            throw OpenAIError(any: error)
        }
    }

    /// `GET /v1/cache/{model}`: the model's caches.
    @Sendable func listPromptCaches(request: Request, context: Context) async throws -> Response {
        do {
            let model = try cachePath(context).joined(separator: "/")
            let entries = try service.promptCaches(model: model)
            return try JSONResponse.make(PromptCacheList(data: entries.map(PromptCacheObject.init)))
        } catch {
            throw OpenAIError(any: error)
        }
    }

    /// `DELETE /v1/cache/{model}/{name}`: 200, or 404 when the model has no cache of that name.
    @Sendable func deletePromptCache(request: Request, context: Context) async throws -> Response {
        do {
            let parts = try cachePath(context)
            guard parts.count >= 2, let name = parts.last else {
                throw OpenAIError(
                    status: .notFound, message: "name a cache: /v1/cache/{model}/{name}", type: "not_found_error")
            }
            let model = parts.dropLast().joined(separator: "/")
            try service.deletePromptCache(model: model, name: name)
            return try JSONResponse.make(PromptCacheDeleted(cacheName: name, model: try service.model(named: model).id))
        } catch {
            throw OpenAIError(any: error)
        }
    }
}

import DialectSupport
import Hummingbird
import InferenceCore
import InferenceTypes

extension OpenAIController {
    /// Adds the named prompt cache routes (the original design's): `POST /cache/{model}` makes one,
    /// `GET /cache/{model}` lists them, `DELETE /cache/{model}/{name}` removes one.
    func addPromptCacheRoutes(to group: RouterGroup<Context>) {
        group.post("cache/:model", use: createPromptCache)
        group.get("cache/:model", use: listPromptCaches)
        group.delete("cache/:model/:name", use: deletePromptCache)
    }

    /// `POST /v1/cache/{model}` `{"cache_name", "prompt"}`: 201 with the cache.
    @Sendable func createPromptCache(request: Request, context: Context) async throws -> Response {
        do {
            var request = request
            let body = try await JSONRequestDecoding.decode(
                PromptCacheRequest.self, from: &request, limit: maxBodyBytes)
            let model = try context.parameters.require("model")
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
            let model = try context.parameters.require("model")
            let entries = try service.promptCaches(model: model)
            return try JSONResponse.make(PromptCacheList(data: entries.map(PromptCacheObject.init)))
        } catch {
            throw OpenAIError(any: error)
        }
    }

    /// `DELETE /v1/cache/{model}/{name}`: 200, or 404 when the model has no cache of that name.
    @Sendable func deletePromptCache(request: Request, context: Context) async throws -> Response {
        do {
            let model = try context.parameters.require("model")
            let name = try context.parameters.require("name")
            try service.deletePromptCache(model: model, name: name)
            return try JSONResponse.make(PromptCacheDeleted(cacheName: name, model: try service.model(named: model).id))
        } catch {
            throw OpenAIError(any: error)
        }
    }
}

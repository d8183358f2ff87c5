import DialectSupport
public import Hummingbird
import InferenceCore
import InferenceTypes

extension OpenAIController {
    /// Adds `POST rerank` and `POST reranking`, the paths llama-server serves, to `routes`: the server puts them
    /// both under `/v1` and at the root.
    public func addRerankRoutes(to routes: some RouterMethods<Context>) {
        routes.post("rerank", use: rerank)
        routes.post("reranking", use: rerank)
    }

    /// `POST /v1/rerank` `{"model", "query", "documents", "top_n", "return_documents"}`.
    @Sendable func rerank(request: Request, context: Context) async throws -> Response {
        do {
            var request = request
            let body = try await JSONRequestDecoding.decode(RerankRequest.self, from: &request, limit: maxBodyBytes)
            let documents = try body.validated()
            let client = ClientConnection.of(context)
            let ranked = try await client.whileConnected {
                try await service.rerank(model: body.model, query: body.query, documents: documents, keepAlive: nil)
            }
            return try JSONResponse.make(
                RerankResponse(
                    model: ranked.model.id, documents: documents, result: ranked.result, topN: body.topN,
                    returnDocuments: body.returnDocuments ?? false))
        } catch {
            throw OpenAIError(any: error)
        }
    }
}

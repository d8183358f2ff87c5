import DialectSupport
public import Hummingbird
public import InferenceCore
import InferenceTypes
import OpenAIAPI
import OrderedJSON

/// llama-server's prompt utilities at the root: `POST /apply-template` (a conversation as the model's chat
/// template renders it), `POST /tokenize` and `POST /detokenize`. A request without `model` goes to the
/// loaded model, or to the only one there is. Errors are in OpenAI's shape, as llama-server's are.
public struct PromptToolsController<Context: RequestContext>: Sendable {
    let service: any InferenceServing
    let maxBodyBytes: Int

    /// Creates the controller.
    public init(service: any InferenceServing, maxBodyBytes: Int) {
        self.service = service
        self.maxBodyBytes = maxBodyBytes
    }

    /// Adds the routes at the root of the router.
    public func addRoutes(to router: Router<Context>) {
        router.post("apply-template", use: applyTemplate)
        router.post("tokenize", use: tokenize)
        router.post("detokenize", use: detokenize)
    }

    @Sendable func applyTemplate(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await JSONRequestDecoding.decode(
                ApplyTemplateRequest.self, from: &request, limit: maxBodyBytes)
            let messages = try body.messages.enumerated().map { index, message throws(OpenAIError) in
                try message.chatMessage(at: index)
            }
            var variables: [String: JSONValue] = [:]
            for member in body.document["chat_template_kwargs"]?.objectMembers ?? [] {
                variables[member.key] = member.value
            }
            let prompt = try await service.applyTemplate(
                model: body.model, messages: messages, tools: body.document["tools"]?.arrayValue ?? [],
                variables: variables)
            return try JSONResponse.make(PromptResponse(prompt: prompt))
        }
    }

    @Sendable func tokenize(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await JSONRequestDecoding.decode(TokenizeRequest.self, from: &request, limit: maxBodyBytes)
            let tokens = try await service.tokenize(
                model: body.model, text: body.content, addSpecial: body.addSpecial ?? false,
                parseSpecial: body.parseSpecial ?? true)
            guard body.withPieces == true else { return try JSONResponse.make(TokensResponse(tokens: tokens)) }
            var pieces: [TokenPiece] = []
            for token in tokens {
                pieces.append(
                    TokenPiece(id: token, piece: try await service.detokenize(model: body.model, tokens: [token])))
            }
            return try JSONResponse.make(PiecesResponse(tokens: pieces))
        }
    }

    @Sendable func detokenize(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await JSONRequestDecoding.decode(
                DetokenizeRequest.self, from: &request, limit: maxBodyBytes)
            let content = try await service.detokenize(model: body.model, tokens: body.tokens)
            return try JSONResponse.make(ContentResponse(content: content))
        }
    }

    private func mapErrors(_ body: () async throws -> Response) async throws -> Response {
        do {
            return try await body()
        } catch {
            throw OpenAIError(any: error)
        }
    }
}

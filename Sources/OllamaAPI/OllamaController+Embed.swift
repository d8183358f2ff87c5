import FoundationEssentials
import Hummingbird
import InferenceCore
import InferenceTypes

extension OllamaController {
    /// `POST /api/embed {"model", "input": string | [string], "truncate"?, "keep_alive"?}`: L2-normalised vectors.
    @Sendable func embed(request: Request, context: Context) async throws -> Response {
        let start = MonotonicClock.now()
        return try await mapErrors {
            var request = request
            let body = try await OllamaRequestDecoding.decode(
                OllamaEmbedRequest.self, from: &request, limit: maxBodyBytes)
            let embedded = try await service.embed(
                model: OllamaNames.resolvable(body.model), inputs: body.input.values, truncate: body.truncate ?? true,
                keepAlive: body.keepAlive?.value)
            if let dimensions = body.dimensions, dimensions != embedded.result.vectors.first?.count {
                throw OllamaError.badRequest("dimensions \(dimensions) is not the model's embedding size")
            }
            return try json(
                OllamaEmbedResponse(
                    model: body.model, embeddings: embedded.result.vectors, totalDuration: MonotonicClock.since(start),
                    loadDuration: embedded.loadNanos, promptEvalCount: embedded.result.promptTokens))
        }
    }

    /// The legacy `POST /api/embeddings {"model", "prompt"}`: `{"embedding": [...]}`.
    @Sendable func embeddings(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await OllamaRequestDecoding.decode(
                OllamaLegacyEmbedRequest.self, from: &request, limit: maxBodyBytes)
            let embedded = try await service.embed(
                model: OllamaNames.resolvable(body.model), inputs: [body.prompt], truncate: true,
                keepAlive: body.keepAlive?.value)
            return try json(["embedding": embedded.result.vectors.first ?? []])
        }
    }
}

/// `input` of `/api/embed`: one string or several.
struct OllamaEmbedInput: Decodable, Sendable {
    var values: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let single = try? container.decode(String.self) {
            values = [single]
        } else {
            values = try container.decode([String].self)
        }
    }
}

struct OllamaEmbedRequest: Decodable, Sendable {
    var model: String
    var input: OllamaEmbedInput
    var truncate: Bool?
    var dimensions: Int?
    var keepAlive: OllamaKeepAlive?

    enum CodingKeys: String, CodingKey {
        case model, input, truncate, dimensions
        case keepAlive = "keep_alive"
    }
}

struct OllamaLegacyEmbedRequest: Decodable, Sendable {
    var model: String
    var prompt: String
    var keepAlive: OllamaKeepAlive?

    enum CodingKeys: String, CodingKey {
        case model, prompt
        case keepAlive = "keep_alive"
    }
}

struct OllamaEmbedResponse: Encodable, Sendable {
    var model: String
    var embeddings: [[Float]]
    var totalDuration: UInt64
    var loadDuration: UInt64
    var promptEvalCount: Int

    enum CodingKeys: String, CodingKey {
        case model, embeddings
        case totalDuration = "total_duration", loadDuration = "load_duration", promptEvalCount = "prompt_eval_count"
    }
}

import DialectSupport
import OpenAIAPI
import OrderedJSON

/// The body of `POST /apply-template`: `{model?, messages, tools?, chat_template_kwargs?}`.
struct ApplyTemplateRequest: Decodable, Sendable, DocumentCarrying {
    var model: String?
    var messages: [ChatCompletionRequest.Message]
    /// The whole body; `tools` and `chat_template_kwargs` are read from it, in the client's key order.
    var document: JSONValue = .null

    enum CodingKeys: String, CodingKey { case model, messages }
}

/// The body of `POST /tokenize`: `{model?, content, add_special = false, parse_special = true,
/// with_pieces = false}`.
struct TokenizeRequest: Decodable, Sendable {
    var model: String?
    var content: String
    var addSpecial: Bool?
    var parseSpecial: Bool?
    var withPieces: Bool?

    enum CodingKeys: String, CodingKey {
        case model, content
        case addSpecial = "add_special", parseSpecial = "parse_special", withPieces = "with_pieces"
    }
}

/// The body of `POST /detokenize`: `{model?, tokens}`.
struct DetokenizeRequest: Decodable, Sendable {
    var model: String?
    var tokens: [Int]
}

/// `{"prompt"}`.
struct PromptResponse: Encodable, Sendable {
    var prompt: String
}

/// `{"tokens": [ids]}`.
struct TokensResponse: Encodable, Sendable {
    var tokens: [Int]
}

/// `{"tokens": [{"id", "piece"}]}`, for `with_pieces`.
struct PiecesResponse: Encodable, Sendable {
    var tokens: [TokenPiece]
}

/// One token and its text.
struct TokenPiece: Encodable, Sendable {
    var id: Int
    var piece: String
}

/// `{"content"}`.
struct ContentResponse: Encodable, Sendable {
    var content: String
}

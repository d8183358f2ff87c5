/// The body of `POST /v1/embeddings`. Fields this server does not know, and `user`, are ignored.
public struct EmbeddingsRequest: Decodable, Sendable {
    /// What `input` holds: texts, or token ids, which this server does not take.
    public enum Input: Decodable, Sendable, Equatable {
        /// One or more texts; a single string is a list of one.
        case texts([String])
        /// An array of token ids, or an array of such arrays.
        case tokenArrays

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self) {
                self = .texts([text])
            } else if let texts = try? container.decode([String].self) {
                self = .texts(texts)
            } else if (try? container.decode([Int].self)) != nil || (try? container.decode([[Int]].self)) != nil {
                self = .tokenArrays
            } else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected a string or an array of strings")
            }
        }
    }

    /// How the vectors are written in the answer.
    public enum EncodingFormat: String, Sendable {
        /// A JSON array of numbers (OpenAI's default).
        case float
        /// The little-endian float32 bytes of the vector, base64-encoded (the official client's default).
        case base64
    }

    /// The model to embed with.
    public var model: String
    /// The texts to embed.
    public var input: Input
    /// `float` (the default) or `base64`.
    public var encodingFormat: String?
    /// The length the vectors must have; only the model's own length is accepted.
    public var dimensions: Int?

    enum CodingKeys: String, CodingKey {
        case model, input, dimensions
        case encodingFormat = "encoding_format"
    }

    /// Checks the request; returns the texts to embed and the encoding of the answer.
    public func validated() throws(OpenAIError) -> (texts: [String], encoding: EncodingFormat) {
        guard !model.isEmpty else { throw .invalidRequest("'model' must not be empty", param: "model") }
        guard case .texts(let texts) = input else {
            throw .invalidRequest("token arrays are not supported; send the text instead", param: "input")
        }
        guard !texts.isEmpty else { throw .invalidRequest("input must not be empty", param: "input") }
        if let index = texts.firstIndex(where: \.isEmpty) {
            throw .invalidRequest(
                texts.count == 1 ? "input must not be an empty string" : "input[\(index)] is an empty string",
                param: "input")
        }
        guard let encoding = EncodingFormat(rawValue: encodingFormat ?? "float") else {
            throw .invalidRequest(
                "encoding_format must be 'float' or 'base64', got '\(encodingFormat ?? "")'", param: "encoding_format")
        }
        if let dimensions, dimensions < 1 {
            throw .invalidRequest("dimensions must be at least 1", param: "dimensions")
        }
        return (texts, encoding)
    }

    /// Checks `dimensions` against the length of the vectors the model gives: it cannot shorten them.
    public func checkDimensions(_ length: Int) throws(OpenAIError) {
        guard let dimensions, dimensions != length else { return }
        throw .invalidRequest(
            "this model's embeddings have \(length) dimensions and cannot be shortened to \(dimensions)",
            param: "dimensions")
    }
}

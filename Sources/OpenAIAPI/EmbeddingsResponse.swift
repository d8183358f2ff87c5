import FoundationEssentials
import InferenceCore
import InferenceTypes

/// The answer of `POST /v1/embeddings`: one entry per input, in order, and the tokens read.
struct EmbeddingsResponse: Encodable, Sendable {
    /// One vector, as a list of numbers or as base64 text.
    enum Vector: Encodable, Sendable {
        case floats([Float])
        case base64(String)

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .floats(let values): try container.encode(values)
            case .base64(let text): try container.encode(text)
            }
        }
    }

    struct Item: Encodable, Sendable {
        var object = "embedding"
        var index: Int
        var embedding: Vector
    }

    struct Usage: Encodable, Sendable {
        var promptTokens: Int
        var totalTokens: Int

        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens"
            case totalTokens = "total_tokens"
        }
    }

    var object = "list"
    var data: [Item]
    var model: String
    var usage: Usage

    init(model: String, result: EmbeddingResult, encoding: EmbeddingsRequest.EncodingFormat) {
        data = result.vectors.enumerated().map { index, vector in
            Item(index: index, embedding: encoding == .base64 ? .base64(Self.base64(vector)) : .floats(vector))
        }
        self.model = model
        usage = Usage(promptTokens: result.promptTokens, totalTokens: result.promptTokens)
    }

    /// The vector's little-endian float32 bytes, base64-encoded, as the official clients decode them.
    static func base64(_ vector: [Float]) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(vector.count * 4)
        for value in vector {
            withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return Data(bytes).base64EncodedString()
    }
}

import Foundation
import InferenceCore
import InferenceTypes
import Testing

@testable import OpenAIAPI

@Suite struct EmbeddingsWireTests {
    private func encoded(_ encoding: EmbeddingsRequest.EncodingFormat) throws -> String {
        let result = EmbeddingResult(vectors: [[1, -2], [0.5, 0]], promptTokens: 7, totalNanos: 1)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data = try encoder.encode(EmbeddingsResponse(model: "m", result: result, encoding: encoding))
        return String(decoding: data, as: UTF8.self)
    }

    @Test func base64IsLittleEndianFloat32() {
        // 1.0 is 0x3F800000 and -2.0 is 0xC0000000: least significant byte first.
        #expect(EmbeddingsResponse.base64([1, -2]) == Data([0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0]).base64EncodedString())
    }

    @Test func theAnswerHasOpenAIsShape() throws {
        let floats = try encoded(.float)
        #expect(floats.hasPrefix(#"{"data":[{"embedding":[1,-2],"index":0,"object":"embedding"},"#))
        #expect(floats.contains(#"{"embedding":[0.5,0],"index":1,"object":"embedding"}"#))
        #expect(floats.hasSuffix(#""model":"m","object":"list","usage":{"prompt_tokens":7,"total_tokens":7}}"#))
        let base64 = try encoded(.base64)
        #expect(base64.contains(#""embedding":"\#(EmbeddingsResponse.base64([1, -2]))""#))
    }

    @Test func aSingleStringIsOneInputAndTokenIdsAreRefused() throws {
        func decode(_ json: String) throws -> EmbeddingsRequest {
            try JSONRequestDecoding.decode(EmbeddingsRequest.self, from: Data(json.utf8))
        }
        let single = try decode(#"{"model":"m","input":"hello"}"#).validated()
        #expect(single.texts == ["hello"])
        #expect(single.encoding == .float)
        #expect(try decode(#"{"model":"m","input":[1,2]}"#).input == .tokenArrays)
        #expect(throws: OpenAIError.self) { try decode(#"{"model":"m","input":[1,2]}"#).validated() }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `POST /v1/embeddings` on the real model.
@Suite(.serialized) struct EmbeddingsTests {
    private func embed(_ client: any TestClientProtocol, _ fields: String) async throws -> TestResponse {
        try await post(client, "/v1/embeddings", #"{"model":"\#(TestModel.name)",\#(fields)}"#)
    }

    /// The vectors of a 200 answer, checking the envelope; base64 vectors are decoded.
    private func vectors(_ response: TestResponse) throws -> [[Float]] {
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        let body = try object(response)
        #expect(body["object"] as? String == "list")
        #expect(body["model"] as? String == TestModel.name)
        let data = try #require(body["data"] as? [[String: Any]])
        #expect(data.map { $0["index"] as? Int } == Array(0..<data.count))
        #expect(data.allSatisfy { $0["object"] as? String == "embedding" })
        let usage = try #require(body["usage"] as? [String: Any])
        #expect((usage["prompt_tokens"] as? Int ?? 0) > 0)
        #expect(usage["total_tokens"] as? Int == usage["prompt_tokens"] as? Int)
        return try data.map { item in
            if let numbers = item["embedding"] as? [NSNumber] { return numbers.map(\.floatValue) }
            let text = try #require(item["embedding"] as? String)
            let bytes = try #require(Data(base64Encoded: text))
            return stride(from: 0, to: bytes.count, by: 4).map { offset in
                let word = bytes[offset..<offset + 4].enumerated().reduce(UInt32(0)) {
                    $0 | UInt32($1.element) << (8 * UInt32($1.offset))
                }
                return Float(bitPattern: word)
            }
        }
    }

    private func length(_ vector: [Float]) -> Float { vector.reduce(0) { $0 + $1 * $1 }.squareRoot() }

    private func close(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0 - $1) < 1e-5 }
    }

    @Test func floatAndBase64EncodingsCarryTheSameVectors() async throws {
        try await withServer { client in
            let floats = try vectors(try await embed(client, #""input":"The sky is blue.""#))
            #expect(floats.count == 1)
            #expect(floats[0].count == 576)
            #expect(abs(length(floats[0]) - 1) < 1e-4)

            let base64 = try await embed(client, #""input":"The sky is blue.","encoding_format":"base64""#)
            let first = try #require((try object(base64)["data"] as? [[String: Any]])?.first)
            #expect(first["embedding"] is String)
            let decoded = try vectors(base64)
            #expect(close(decoded[0], floats[0]))

            let sized = try await embed(client, #""input":"The sky is blue.","dimensions":576,"user":"someone""#)
            #expect(close(try vectors(sized)[0], floats[0]))
        }
    }

    @Test func anArrayGivesOneVectorPerInputInOrder() async throws {
        try await withServer { client in
            let inputs = ["Paris is in France.", "Two plus two is four.", "Bananas are yellow."]
            let batch = try vectors(
                try await embed(client, #""input":["\#(inputs[0])","\#(inputs[1])","\#(inputs[2])"]"#))
            #expect(batch.count == 3)
            for (index, input) in inputs.enumerated() {
                let alone = try vectors(try await embed(client, #""input":"\#(input)""#))
                #expect(close(batch[index], alone[0]), "input \(index)")
            }
        }
    }

    @Test func invalidRequestsAreBadRequestsNamingTheField() async throws {
        let cases: [(fields: String, param: String?, message: String)] = [
            (#""input":[1,2,3]"#, "input", "token arrays are not supported"),
            (#""input":[[1,2],[3]]"#, "input", "token arrays are not supported"),
            (#""input":[]"#, "input", "must not be empty"),
            (#""input":"""#, "input", "empty string"),
            (#""input":["fine",""]"#, "input", "input[1] is an empty string"),
            (#""input":{"text":"x"}"#, "input", "string or an array of strings"),
            (#""encoding_format":"float""#, "input", "missing required field 'input'"),
            (#""input":"x","encoding_format":"hex""#, "encoding_format", "'float' or 'base64'"),
            (#""input":"x","dimensions":256"#, "dimensions", "576 dimensions"),
            (#""input":"\#(String(repeating: "word ", count: 1100))""#, "input", "does not fit the model's context"),
        ]
        try await withServer { client in
            for (fields, param, message) in cases {
                let response = try await embed(client, fields)
                #expect(response.status == .badRequest, "\(fields.prefix(60))")
                let error = try openAIError(response)
                #expect(error["param"] as? String == param, "\(fields.prefix(60))")
                #expect((error["message"] as? String)?.contains(message) == true, "\(error["message"] ?? "")")
            }
            let missing = try await post(client, "/v1/embeddings", #"{"model":"no-such-model","input":"x"}"#)
            #expect(missing.status == .notFound)
            #expect(try openAIError(missing)["code"] as? String == "model_not_found")
        }
    }
}

import DialectSupport
import Foundation
import InferenceCore
import InferenceTypes
import Testing

@testable import OpenAIAPI

/// The shape of logprobs on the wire. The llama engine's logprob events merge separately, so these encode
/// events made here; what the numbers are is the engine's business.
@Suite struct LogprobsWireTests {
    let reply = ReplyContext(id: "chatcmpl-1", created: 1_700_000_000, model: "m", fingerprint: "fp")
    let entry = TokenLogprob(
        sampled: .init(token: "Hi", bytes: [72, 105], logprob: -0.25),
        top: [
            .init(token: "Hi", bytes: [72, 105], logprob: -0.25),
            .init(token: "Hey", bytes: [72, 101, 121], logprob: -1.5),
        ])
    let summary = GenerationSummary(finishReason: .stop, usage: Usage(completionTokens: 1), timings: Timings())

    private func json(_ value: some Encodable) throws -> [String: Any] {
        let data = try JSONEncoder().encode(value)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func aChatAnswerCarriesOpenAIsLogprobsOnlyWhenAsked() throws {
        var answer = CollectedGeneration()
        answer.text = "Hi"
        answer.logprobs = [entry]
        answer.summary = summary
        let asked = try json(reply.chatCompletion(answer, logprobs: true))
        let choice = try #require((asked["choices"] as? [[String: Any]])?.first)
        let content = try #require((choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]])
        #expect(content.first?["token"] as? String == "Hi")
        #expect(content.first?["logprob"] as? Double == -0.25)
        #expect(content.first?["bytes"] as? [Int] == [72, 105])
        let top = try #require(content.first?["top_logprobs"] as? [[String: Any]])
        #expect(top.map { $0["token"] as? String } == ["Hi", "Hey"])
        let notAsked = try json(reply.chatCompletion(answer, logprobs: false))
        #expect((notAsked["choices"] as? [[String: Any]])?.first?["logprobs"] is NSNull)
    }

    @Test func aStreamedChunkCarriesTheLogprobsOfItsTokens() throws {
        let chunk = try json(reply.chatChunks(for: .logprobs([entry]), includeUsage: false)[0])
        let choice = try #require((chunk["choices"] as? [[String: Any]])?.first)
        #expect((choice["delta"] as? [String: Any])?.isEmpty == true)
        let content = (choice["logprobs"] as? [String: Any])?["content"] as? [[String: Any]]
        #expect(content?.count == 1)
    }

    @Test func aTextCompletionCarriesTheLegacyLists() throws {
        var answer = CollectedGeneration()
        answer.text = "HiHi"
        answer.logprobs = [entry, entry]
        let body = try json(reply.completion(answer, logprobs: true))
        let logprobs = try #require((body["choices"] as? [[String: Any]])?.first?["logprobs"] as? [String: Any])
        #expect(logprobs["tokens"] as? [String] == ["Hi", "Hi"])
        #expect(logprobs["token_logprobs"] as? [Double] == [-0.25, -0.25])
        #expect(logprobs["text_offset"] as? [Int] == [0, 2])
        #expect((logprobs["top_logprobs"] as? [[String: Double]])?.first?["Hey"] == -1.5)
    }

    @Test func toolCallDeltasAreIndexedInOrder() throws {
        let calls = [
            ToolCall(id: "call_a", name: "f", arguments: "{}"), ToolCall(id: "call_b", name: "g", arguments: "{}"),
        ]
        let indexes = try calls.map { call in
            let chunk = try json(reply.chatChunks(for: .toolCall(call), includeUsage: false)[0])
            let delta = (chunk["choices"] as? [[String: Any]])?.first?["delta"] as? [String: Any]
            return ((delta?["tool_calls"] as? [[String: Any]])?.first?["index"] as? Int) ?? -1
        }
        #expect(indexes == [0, 1])
    }
}

import Foundation
import Hummingbird
import InferenceCore
import InferenceTypes
import Testing

@testable import OllamaAPI

@Suite struct NDJSONFramingTests {
    let summary = GenerationSummary(
        finishReason: .length, usage: Usage(promptTokens: 12, cachedTokens: 3, completionTokens: 5),
        timings: Timings(queueNanos: 1, promptEvalNanos: 2_000_000, evalNanos: 50_000_000))

    private func line(_ value: any Encodable) throws -> (text: String, keys: Set<String>, object: [String: Any]) {
        let text = String(buffer: try NDJSON.line(value))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        return (text, Set(object.keys), object)
    }

    @Test func eachObjectIsOneLineEndingInANewline() throws {
        let (text, _, _) = try line(ReplyShape.chat(model: "m").piece("two\nlines \"quoted\""))
        #expect(text.hasSuffix("}\n"))
        #expect(text.filter { $0 == "\n" }.count == 1)
        #expect(!text.hasPrefix("data:"))
    }

    @Test func generatePiecesAndFinalLinesHaveOllamasFields() throws {
        let piece = try line(ReplyShape.generate(model: "m:latest").piece("Hi"))
        #expect(piece.keys == ["model", "created_at", "response", "done"])
        #expect(piece.object["done"] as? Bool == false && piece.object["model"] as? String == "m:latest")
        let metrics = OllamaMetrics(summary: summary, loadNanos: 7, totalNanos: 60_000_000)
        let final = try line(ReplyShape.generate(model: "m").final(text: "", reason: "length", metrics: metrics))
        #expect(
            final.keys == [
                "model", "created_at", "response", "done", "done_reason", "total_duration", "load_duration",
                "prompt_eval_count", "prompt_eval_duration", "eval_count", "eval_duration",
            ])
        #expect(final.object["prompt_eval_count"] as? Int == 12 && final.object["eval_count"] as? Int == 5)
        #expect(final.object["eval_duration"] as? Int == 50_000_000 && final.object["load_duration"] as? Int == 7)
    }

    @Test func theFinalChatLineStillCarriesTheMessage() throws {
        let metrics = OllamaMetrics(summary: summary, loadNanos: 0, totalNanos: 1)
        let final = try line(ReplyShape.chat(model: "m").final(text: "", reason: "stop", metrics: metrics))
        let message = try #require(final.object["message"] as? [String: Any])
        #expect(message["role"] as? String == "assistant" && message["content"] as? String == "")
        #expect(final.object["done"] as? Bool == true && final.object["done_reason"] as? String == "stop")
        #expect(final.keys.isSuperset(of: ["total_duration", "load_duration", "eval_count", "eval_duration"]))
    }

    @Test func timestampsAreRFC3339WithFractionalSecondsInUTC() {
        let text = OllamaTimestamp.string(Date(timeIntervalSince1970: 1_691_176_965.499127))
        #expect(text == "2023-08-04T19:22:45.499127Z")
    }

    @Test func errorsAreOneLineWithOnlyAnErrorKey() throws {
        let text = String(buffer: OllamaError.badRequest("bad \"thing\"").line)
        #expect(text == "{\"error\":\"bad \\\"thing\\\"\"}\n")
    }
}

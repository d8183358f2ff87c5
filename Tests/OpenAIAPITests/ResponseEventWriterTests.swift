import Foundation
import Hummingbird
import InferenceCore
import InferenceTypes
import Testing

@testable import OpenAIAPI

/// The events of a streamed response, from the core's events: their order, their numbering, and the frames
/// of the per-token path, which are cut from templates and must read exactly as the encoder writes them.
@Suite struct ResponseEventWriterTests {
    private static func reply() throws -> ResponseReply {
        let body = try JSONRequestDecoding.decode(
            ResponsesRequest.self,
            from: Data(#"{"model":"m","input":"x","tools":[{"type":"function","name":"f"}]}"#.utf8))
        return ResponseReply(id: "resp_1", createdAt: 1, model: "m", settings: ResponseSettings(body))
    }

    private static func summary(_ finish: FinishReason) -> GenerationSummary {
        var usage = Usage(promptTokens: 7, cachedTokens: 2, completionTokens: 5)
        usage.reasoningTokens = 2
        return GenerationSummary(finishReason: finish, usage: usage, timings: Timings())
    }

    /// Each frame as `(event name, data object)`, checking the framing.
    private static func parse(_ frames: [ByteBuffer]) throws -> [(String, [String: Any])] {
        try frames.map { frame in
            let text = String(buffer: frame)
            #expect(text.hasPrefix("event: ") && text.hasSuffix("\n\n"))
            let lines = text.dropLast(2).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2 && lines[1].hasPrefix("data: "))
            let data = try #require(
                try JSONSerialization.jsonObject(with: Data(lines[1].dropFirst(6).utf8)) as? [String: Any])
            let name = String(lines[0].dropFirst(7))
            #expect(data["type"] as? String == name)
            return (name, data)
        }
    }

    private static func run(_ events: [GenerationEvent]) throws -> (
        frames: [(String, [String: Any])], finished: ResponseObject?
    ) {
        var writer = ResponseEventWriter(reply: try reply())
        var frames = try writer.opening()
        for event in events { frames += try writer.frames(for: event) }
        return (try parse(frames), writer.finished)
    }

    @Test func reasoningTextAndACallComeAsItemsInTheSDKsOrder() throws {
        let call = ToolCall(id: "call_1", name: "f", arguments: #"{"a":"b"}"#)
        let (frames, finished) = try Self.run([
            .reasoning("Cold"), .reasoning("."), .text("Hi "), .logprobs([]), .text("\"there\"\n"), .toolCall(call),
            .done(Self.summary(.toolCalls)),
        ])
        #expect(
            frames.map(\.0) == [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.reasoning_summary_part.added",
                "response.reasoning_summary_text.delta", "response.reasoning_summary_text.delta",
                "response.reasoning_summary_text.done", "response.reasoning_summary_part.done",
                "response.output_item.done",
                "response.output_item.added", "response.content_part.added",
                "response.output_text.delta", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ])
        #expect(frames.map { $0.1["sequence_number"] as? Int } == Array(0..<frames.count))
        let deltas = frames.filter { $0.0 == "response.output_text.delta" }.map(\.1)
        #expect(deltas.map { $0["delta"] as? String } == ["Hi ", "\"there\"\n"])
        #expect(deltas.allSatisfy { $0["output_index"] as? Int == 1 && $0["content_index"] as? Int == 0 })
        #expect(deltas.allSatisfy { ($0["item_id"] as? String)?.hasPrefix("msg_") == true })
        let textDone = try #require(frames.first { $0.0 == "response.output_text.done" }?.1)
        #expect(textDone["text"] as? String == "Hi \"there\"\n")
        let summaryDone = try #require(frames.first { $0.0 == "response.reasoning_summary_text.done" }?.1)
        #expect(summaryDone["text"] as? String == "Cold.")
        let argumentsDone = try #require(frames.first { $0.0 == "response.function_call_arguments.done" }?.1)
        #expect(argumentsDone["arguments"] as? String == #"{"a":"b"}"# && argumentsDone["name"] as? String == "f")

        let completed = try #require(frames.last?.1["response"] as? [String: Any])
        #expect(completed["status"] as? String == "completed")
        let output = try #require(completed["output"] as? [[String: Any]])
        #expect(output.map { $0["type"] as? String } == ["reasoning", "message", "function_call"])
        #expect(output[2]["call_id"] as? String == "call_1")
        let usage = try #require(completed["usage"] as? [String: Any])
        #expect(usage["input_tokens"] as? Int == 7 && usage["output_tokens"] as? Int == 5)
        #expect((usage["input_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int == 2)
        #expect((usage["output_tokens_details"] as? [String: Any])?["reasoning_tokens"] as? Int == 2)
        #expect(finished?.output.count == 3)
    }

    @Test func theTokenLimitEndsAnIncompleteResponse() throws {
        let (frames, finished) = try Self.run([.text("Par"), .done(Self.summary(.length))])
        #expect(frames.last?.0 == "response.incomplete")
        let response = try #require(frames.last?.1["response"] as? [String: Any])
        #expect(response["status"] as? String == "incomplete")
        #expect((response["incomplete_details"] as? [String: Any])?["reason"] as? String == "max_output_tokens")
        #expect(finished?.status == "incomplete")
        let item = try #require(frames.first { $0.0 == "response.output_item.done" }?.1["item"] as? [String: Any])
        #expect(item["status"] as? String == "incomplete")
    }

    @Test func anEmptyAnswerIsStillOneMessage() throws {
        let (frames, _) = try Self.run([.done(Self.summary(.stop))])
        let output = try #require((frames.last?.1["response"] as? [String: Any])?["output"] as? [[String: Any]])
        #expect(output.count == 1)
        let content = try #require(output.first?["content"] as? [[String: Any]])
        #expect(content.first?["text"] as? String == "")
    }

    @Test func aFailureMidStreamIsResponseFailedWithTheOutputSoFar() throws {
        var writer = ResponseEventWriter(reply: try Self.reply())
        var frames = try writer.opening()
        frames += try writer.frames(for: .text("Half"))
        frames.append(try writer.failure(OpenAIError(InferenceError.engineFailure("the runner died"))))
        let parsed = try Self.parse(frames)
        #expect(parsed.last?.0 == "response.failed")
        #expect(parsed.map { $0.1["sequence_number"] as? Int } == Array(0..<parsed.count))
        let response = try #require(parsed.last?.1["response"] as? [String: Any])
        #expect(response["status"] as? String == "failed")
        #expect(((response["error"] as? [String: Any])?["message"] as? String)?.contains("the runner died") == true)
        let output = try #require(response["output"] as? [[String: Any]])
        #expect((output.first?["content"] as? [[String: Any]])?.first?["text"] as? String == "Half")
    }

    @Test func templatedDeltaFramesAreTheEncodersBytes() throws {
        let encoder = ResponseEventEncoder()
        let frames = try SequencedDeltaFrames { text, number in
            var event = ResponseStreamEvent("response.output_text.delta", number, item: "msg_1", at: 3)
            event.delta = text
            event.contentIndex = 0
            event.logprobs = []
            return try encoder.frame(event)
        }
        for (text, number) in [
            ("plain", 0), ("quote \" back\\slash", 17), ("tab\tnew\nline \u{1}", 123_456), ("Grüße 𝄞 /", 9),
        ] {
            var event = ResponseStreamEvent("response.output_text.delta", number, item: "msg_1", at: 3)
            event.delta = text
            event.contentIndex = 0
            event.logprobs = []
            let expected = try JSONSerialization.jsonObject(with: try encoder.json(event)) as? NSDictionary
            let frame = String(buffer: frames.frame(text, sequenceNumber: number))
            let data = try #require(frame.split(separator: "\n").last?.dropFirst(6))
            #expect(try JSONSerialization.jsonObject(with: Data(data.utf8)) as? NSDictionary == expected)
            #expect(frame.hasPrefix("event: response.output_text.delta\ndata: "))
        }
    }
}

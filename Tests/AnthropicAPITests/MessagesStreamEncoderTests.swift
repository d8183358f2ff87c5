import Hummingbird
import InferenceCore
import InferenceTypes
import OrderedJSON
import Testing

@testable import AnthropicAPI

/// The bytes of Anthropic's stream for a sequence of the core's events, and the whole message of a collected
/// answer.
@Suite struct MessagesStreamEncoderTests {
    private let reply = MessagesReply(id: "msg_test", model: "qwen3", stops: ["END"])

    private func summary(_ reason: FinishReason, stop: String? = nil) -> GenerationSummary {
        GenerationSummary(
            finishReason: reason, usage: Usage(promptTokens: 12, cachedTokens: 4, completionTokens: 7),
            timings: Timings(), stopSequence: stop)
    }

    private func text(_ buffers: [ByteBuffer]) -> String {
        buffers.map { String(buffer: $0) }.joined()
    }

    @Test func thinkingTextAndAToolCallEachMakeABlockInOrder() {
        let encoder = MessagesStreamEncoder(reply: reply)
        var out = text(encoder.opening())
        for event: GenerationEvent in [
            .reasoning("Let me"), .reasoning(" think."), .text("Sure \"quoted\"\n"), .text("done."),
            .toolCall(ToolCall(id: "call_abc", name: "get_weather", arguments: #"{"city":"Paris"}"#)),
            .done(summary(.toolCalls)),
        ] {
            out += text(encoder.frames(for: event))
        }
        let expected = [
            #"event: message_start"#
                + "\n"
                + #"data: {"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant","model":"qwen3","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}"#,
            "event: ping\n" + #"data: {"type":"ping"}"#,
            "event: content_block_start\n"
                + #"data: {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"#,
            "event: content_block_delta\n"
                + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me"}}"#,
            "event: content_block_delta\n"
                + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":" think."}}"#,
            "event: content_block_delta\n"
                + #"data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"rockchip-llama"}}"#,
            "event: content_block_stop\n" + #"data: {"type":"content_block_stop","index":0}"#,
            "event: content_block_start\n"
                + #"data: {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"#,
            "event: content_block_delta\n"
                + #"data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Sure \"quoted\"\n"}}"#,
            "event: content_block_delta\n"
                + #"data: {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"done."}}"#,
            "event: content_block_stop\n" + #"data: {"type":"content_block_stop","index":1}"#,
            "event: content_block_start\n"
                + #"data: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_abc","name":"get_weather","input":{}}}"#,
            "event: content_block_delta\n"
                + #"data: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"city\":\"Paris\"}"}}"#,
            "event: content_block_stop\n" + #"data: {"type":"content_block_stop","index":2}"#,
            "event: message_delta\n"
                + #"data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":8,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":7,"output_tokens_details":{"thinking_tokens":0}}}"#,
            "event: message_stop\n" + #"data: {"type":"message_stop"}"#,
        ].map { $0 + "\n\n" }
        #expect(out == expected.joined())
    }

    @Test func aRequestedStopStringIsReportedAndAnotherIsAnEndOfTurn() {
        #expect(reply.stop(summary(.stop, stop: "END")) == ("stop_sequence", "END"))
        #expect(reply.stop(summary(.stop, stop: "<|im_end|>")) == ("end_turn", nil))
        #expect(reply.stop(summary(.stop)) == ("end_turn", nil))
        #expect(reply.stop(summary(.length)) == ("max_tokens", nil))
    }

    @Test func aFailureMidStreamIsAnErrorEvent() {
        let frame = String(buffer: MessagesStreamEncoder.failure(InferenceError.engineFailure("the runtime died")))
        #expect(
            frame
                == "event: error\n"
                + #"data: {"type":"error","error":{"type":"api_error","message":"generation failed: the runtime died"}}"#
                + "\n\n")
    }

    @Test func aCollectedAnswerIsOneMessage() {
        var answer = CollectedGeneration()
        answer.text = "Paris."
        answer.reasoning = "Easy."
        answer.summary = summary(.stop, stop: "END")
        #expect(
            reply.message(answer).serialized()
                == #"{"id":"msg_test","type":"message","role":"assistant","model":"qwen3","content":[{"type":"thinking","thinking":"Easy.","signature":"rockchip-llama"},{"type":"text","text":"Paris."}],"stop_reason":"stop_sequence","stop_sequence":"END","usage":{"input_tokens":8,"cache_creation_input_tokens":0,"cache_read_input_tokens":4,"output_tokens":7,"output_tokens_details":{"thinking_tokens":0}}}"#
        )
    }

    @Test func coreErrorsTakeAnthropicsTypesAndStatuses() {
        #expect(AnthropicError(InferenceError.busy(retryAfterSeconds: 2)).status.code == 529)
        #expect(AnthropicError(InferenceError.busy(retryAfterSeconds: 2)).type == "overloaded_error")
        #expect(AnthropicError(InferenceError.modelNotFound("x")).type == "not_found_error")
        let overflow = AnthropicError(InferenceError.contextOverflow(promptTokens: 5000, contextSize: 4096))
        #expect(overflow.status.code == 400)
        #expect(overflow.message.hasPrefix("prompt is too long: 5000 tokens > 4096 maximum"))
        #expect(AnthropicError(any: HTTPError(.contentTooLarge)).type == "request_too_large")
        #expect(AnthropicError(any: HTTPError(.unauthorized)).type == "authentication_error")
    }
}

import DialectSupport
import Foundation
import Hummingbird
import InferenceCore
import InferenceTypes
import Testing

@testable import OpenAIAPI

@Suite struct WireEncodingTests {
    let reply = ReplyContext(id: "chatcmpl-1", created: 1_700_000_000, model: "m", fingerprint: "fp")
    let summary = GenerationSummary(
        finishReason: .length, usage: Usage(promptTokens: 10, cachedTokens: 4, completionTokens: 3),
        timings: Timings(queueNanos: 2_000_000, promptEvalNanos: 50_000_000, evalNanos: 30_000_000))

    private func text(_ buffer: some Collection<UInt8>) -> String { String(decoding: buffer, as: UTF8.self) }

    private func frame(_ value: some Encodable) throws -> String {
        let buffer = try ServerSentEvents().event(value)
        return String(buffer: buffer)
    }

    @Test func framesEachChunkAsOneDataEvent() throws {
        let chunk = try frame(reply.chatChunks(for: .text("Hi"), includeUsage: false)[0])
        #expect(chunk.hasPrefix("data: {"))
        #expect(chunk.hasSuffix("}\n\n"))
        #expect(chunk.dropLast(2).contains("\n") == false)
        #expect(chunk.contains(#""delta":{"content":"Hi"}"#))
        #expect(chunk.contains(#""finish_reason":null"#))
        #expect(!chunk.contains("usage"))
        #expect(String(buffer: ServerSentEvents.done) == "data: [DONE]\n\n")
    }

    @Test func withIncludeUsageEveryChunkHasUsageAndTheLastHasNoChoices() throws {
        let textChunk = try frame(reply.chatChunks(for: .text("Hi"), includeUsage: true)[0])
        #expect(textChunk.contains(#""usage":null"#))
        let closing = reply.chatChunks(for: .done(summary), includeUsage: true)
        #expect(closing.count == 2)
        let finish = try frame(closing[0])
        #expect(finish.contains(#""delta":{}"#) && finish.contains(#""finish_reason":"length""#))
        let usage = try frame(closing[1])
        #expect(usage.contains(#""choices":[]"#))
        #expect(usage.contains(#""prompt_tokens":10"#) && usage.contains(#""completion_tokens":3"#))
        #expect(usage.contains(#""total_tokens":13"#) && usage.contains(#""cached_tokens":4"#))
    }

    @Test func theOpeningChunkNamesTheAssistant() throws {
        let opening = try frame(reply.chatOpening(includeUsage: false))
        #expect(opening.contains(#""delta":{"content":"","role":"assistant"}"#))
    }

    @Test func errorsHaveEveryFieldOfOpenAIsShape() throws {
        let error = OpenAIError(InferenceError.modelNotFound("x"))
        #expect(error.status == .notFound)
        let body = text(try JSONEncoder().encode(error.body))
        #expect(body.contains(#""code":"model_not_found""#) && body.contains(#""param":"model""#))
        let bare = text(try JSONEncoder().encode(OpenAIError.invalidRequest("bad").body))
        #expect(bare.contains(#""param":null"#) && bare.contains(#""code":null"#))
    }

    @Test func deterministicFailuresAre4xxAndBusyIsRetryable() {
        #expect(OpenAIError(InferenceError.contextOverflow(promptTokens: 9, contextSize: 8)).status == .badRequest)
        #expect(OpenAIError(InferenceError.invalidRequest("x")).status == .badRequest)
        let busy = OpenAIError(InferenceError.busy(retryAfterSeconds: 2))
        #expect(busy.status == .serviceUnavailable && busy.retryAfterSeconds == 2)
    }

    @Test func timingsAreInMilliseconds() throws {
        let timings = OpenAITimings(summary)
        #expect(timings.promptMs == 50 && timings.predictedMs == 30 && timings.queueMs == 2)
        #expect(timings.promptN == 6 && timings.cacheN == 4 && timings.predictedN == 3)
        #expect(timings.predictedPerSecond == 100)
    }
}

@Suite struct TextDeltaFramesTests {
    let reply = ReplyContext(id: "cmpl-1", created: 1, model: "m/odel:1", fingerprint: "fp")

    @Test(arguments: [
        "plain", "quote \" and \\ backslash", "line\nbreak\ttab\r", "ctrl \u{1}\u{1F}", "ünïcödé 😀 </script>", "",
    ])
    func preRenderedFramesEqualEncodedOnes(text: String) throws {
        let events = ServerSentEvents()
        for includeUsage in [false, true] {
            let frames = try TextDeltaFrames {
                try events.event(reply.chatChunks(for: .text($0), includeUsage: includeUsage)[0])
            }
            let fast = String(buffer: frames.frame(text))
            let slow = String(
                buffer: try events.event(reply.chatChunks(for: .text(text), includeUsage: includeUsage)[0]))
            #expect(fast.hasPrefix("data: ") && fast.hasSuffix("\n\n"))
            let parse = { (frame: String) throws -> NSDictionary? in
                try JSONSerialization.jsonObject(with: Data(frame.dropFirst(6).dropLast(2).utf8)) as? NSDictionary
            }
            #expect(try parse(fast) == parse(slow))
        }
    }
}

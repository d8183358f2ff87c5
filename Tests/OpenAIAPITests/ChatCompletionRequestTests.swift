import FoundationEssentials
import Hummingbird
import InferenceCore
import InferenceTypes
import Testing

@testable import OpenAIAPI

@Suite struct ChatCompletionRequestTests {
    private func decode(_ json: String) throws -> ChatCompletionRequest {
        try JSONRequestDecoding.decode(ChatCompletionRequest.self, from: Data(json.utf8))
    }

    private func generation(_ json: String) throws -> GenerationRequest {
        try decode(json).generationRequest()
    }

    @Test func mapsRolesPartsAndLimits() throws {
        let request = try generation(
            #"""
            {"model":"m","max_tokens":10,"max_completion_tokens":20,"stop":"END","temperature":0,"seed":7,
             "messages":[{"role":"developer","content":"Be brief."},
                         {"role":"user","content":[{"type":"text","text":"Hello "},{"type":"text","text":"world"}]},
                         {"role":"assistant","content":null},
                         {"role":"tool","content":"42"}]}
            """#)
        #expect(
            request.input
                == .chat([
                    ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Hello world"),
                    ChatMessage(role: .assistant, content: ""), ChatMessage(role: .tool, content: "42"),
                ]))
        #expect(request.maxTokens == 20)
        #expect(request.stop == ["END"])
        #expect(request.sampling.temperature == 0)
        #expect(request.sampling.seed == 7)
    }

    @Test func ignoresUnknownFields() throws {
        let request = try generation(
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"store":true,"service_tier":"auto","tools":[],"frobnicate":{"a":[1,2]}}"#
        )
        #expect(request.model == "m")
        #expect(request.maxTokens == nil)
    }

    @Test(arguments: [
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"n":3}"#, "n"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"top_p":1.5}"#, "top_p"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"presence_penalty":-3}"#, "presence_penalty"),
        (
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"logprobs":true,"top_logprobs":21}"#,
            "top_logprobs"
        ),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"top_logprobs":2}"#, "top_logprobs"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}"#, "tools[0]"),
        (#"{"model":"m","messages":[{"role":"user","content":"x"}],"tool_choice":"sometimes"}"#, "tool_choice"),
        (
            #"{"model":"m","messages":[{"role":"user","content":"x"}],"response_format":{"type":"xml"}}"#,
            "response_format"
        ),
        (
            #"{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}"#,
            "messages[0].content[0].image_url"
        ),
        (#"{"model":"","messages":[{"role":"user","content":"x"}]}"#, "model"),
    ])
    func refusesWhatItCannotServe(json: String, param: String) throws {
        #expect {
            try generation(json)
        } throws: { error in
            (error as? OpenAIError)?.param == param && (error as? OpenAIError)?.status == .badRequest
        }
    }

    @Test func namesTheFieldOfATypeMismatch() throws {
        #expect {
            try decode(#"{"model":"m","messages":[{"role":"user","content":"x"}],"max_tokens":"ten"}"#)
        } throws: { error in
            (error as? OpenAIError)?.param == "max_tokens"
        }
        #expect {
            try decode(#"{"model":"m","messages":[{"role":"user"},{"role":7,"content":"x"}]}"#)
        } throws: { error in
            (error as? OpenAIError)?.param == "messages[1].role"
        }
    }

    @Test func loraIsOurExtensionOnChatAndCompletions() throws {
        #expect(
            try generation(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"lora":"pirate"}"#).lora
                == "pirate")
        #expect(try generation(#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#).lora == nil)
        let completion = try JSONRequestDecoding.decode(
            CompletionRequest.self, from: Data(#"{"model":"m","prompt":"x","lora":"terse"}"#.utf8)
        ).generationRequest()
        #expect(completion.lora == "terse")
        #expect(throws: (any Error).self) {
            try decode(#"{"model":"m","messages":[{"role":"user","content":"hi"}],"lora":7}"#)
        }
    }

    @Test func completionsDefaultToSixteenTokensAndOnePrompt() throws {
        let request = try JSONRequestDecoding.decode(
            CompletionRequest.self, from: Data(#"{"model":"m","prompt":["only one"]}"#.utf8)
        ).generationRequest()
        #expect(request.maxTokens == 16)
        #expect(request.input == .text("only one"))
        #expect(throws: OpenAIError.self) {
            try JSONRequestDecoding.decode(
                CompletionRequest.self, from: Data(#"{"model":"m","prompt":["a","b"]}"#.utf8)
            )
            .generationRequest()
        }
    }
}

import InferenceCore
import InferenceTypes
import RKLLMEngine
import Testing

@Suite struct RKLLMChatFormatTests {
    /// What the runtime builds from the pieces: system + prefix + input + postfix.
    private func wrapped(_ rendered: RKLLMChatFormat.Rendered) -> String {
        rendered.systemPrompt + rendered.promptPrefix + rendered.input + rendered.promptPostfix
    }

    @Test func aChatMLConversationComesOutInChatML() throws {
        let format = try #require(RKLLMChatFormat.forModel(named: "qwen2.5-1.5b-instruct"))
        let rendered = format.render(
            [
                ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Hi"),
                ChatMessage(role: .assistant, content: "Hello!"), ChatMessage(role: .user, content: "Name a colour."),
            ], thinking: true)
        #expect(
            wrapped(rendered)
                == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"
                + "Hello!<|im_end|>\n<|im_start|>user\nName a colour.<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func qwen3WithoutThinkingGetsAnEmptyThinkBlock() throws {
        let format = try #require(RKLLMChatFormat.forModel(named: "qwen3-0.6b"))
        let off = format.render([ChatMessage(role: .user, content: "Hi")], thinking: false)
        #expect(wrapped(off).hasSuffix("<|im_start|>assistant\n<think>\n\n</think>\n\n"))
        let on = format.render([ChatMessage(role: .user, content: "Hi")], thinking: true)
        #expect(wrapped(on).hasSuffix("<|im_start|>assistant\n"))
    }

    @Test func gemmaHasNoSystemRoleSoTheSystemTextOpensTheUserTurn() throws {
        let format = try #require(RKLLMChatFormat.forModel(named: "gemma3-1b"))
        let rendered = format.render(
            [ChatMessage(role: .system, content: "Be brief."), ChatMessage(role: .user, content: "Hi")], thinking: false
        )
        #expect(rendered.systemPrompt.isEmpty)
        #expect(wrapped(rendered) == "<start_of_turn>user\nBe brief.\n\nHi<end_of_turn>\n<start_of_turn>model\n")
    }

    @Test func toolResultsAndConsecutiveUserTurnsKeepTheTurnStructure() throws {
        let format = RKLLMChatFormat.chatML
        let rendered = format.render(
            [
                ChatMessage(role: .user, content: "a"), ChatMessage(role: .user, content: "b"),
                ChatMessage(role: .tool, content: "42"),
            ], thinking: true)
        #expect(
            wrapped(rendered)
                == "<|im_start|>user\na<|im_end|>\n<|im_start|>assistant\n<|im_end|>\n<|im_start|>user\nb<|im_end|>\n"
                + "<|im_start|>assistant\n<|im_end|>\n<|im_start|>user\n<tool_response>\n42\n</tool_response>"
                + "<|im_end|>\n<|im_start|>assistant\n")
    }

    @Test func knownFamiliesHaveAFormatAndOthersKeepTheBuiltInTemplate() {
        for name in [
            "qwen3-4b", "deepseek-r1-distill-qwen-1.5b", "gemma3-270m", "llama-3.2-1b", "phi-3-mini", "minicpm4-0.5b",
        ] {
            #expect(RKLLMChatFormat.forModel(named: name) != nil, "\(name)")
        }
        #expect(RKLLMChatFormat.forModel(named: "rwkv7-1.5b") == nil)
    }
}

import EngineSupport
public import InferenceTypes

/// How one model family marks the turns of a conversation, and how a whole message list becomes the one
/// input that `rkllm_run` takes.
///
/// The runtime wraps each input as `system_prompt + prompt_prefix + input + prompt_postfix` (pieces it
/// takes from the model, or from `rkllm_set_chat_template`). The engine sets the pieces to the family's
/// markers and renders the earlier turns into the input itself, so that the runtime's wrap completes the
/// family's own format: for `[system, user1, assistant1, user2]` with ChatML the runtime sees
/// `<|im_start|>system ...` + `<|im_start|>user\n` + `user1<|im_end|>\n<|im_start|>assistant\nassistant1<|im_end|>\n<|im_start|>user\nuser2`
/// + `<|im_end|>\n<|im_start|>assistant\n`.
public struct RKLLMChatFormat: Sendable, Equatable {
    public var systemPrefix: String
    public var systemSuffix: String
    public var userPrefix: String
    public var userSuffix: String
    public var assistantPrefix: String
    public var assistantSuffix: String
    /// Appended to the assistant prefix when thinking is off, for families that think unless told not to.
    public var noThinkingSuffix: String?
    /// Whether the family has a system role; without one the system text opens the first user turn.
    public var hasSystemRole: Bool

    /// The pieces for `rkllm_set_chat_template` and the input text of one request.
    public struct Rendered: Sendable, Equatable {
        public var systemPrompt: String
        public var promptPrefix: String
        public var promptPostfix: String
        public var input: String
    }

    /// ChatML: Qwen, Qwen2, Qwen2.5, Qwen3, QwQ, MiniCPM, InternLM, SmolLM.
    public static let chatML = RKLLMChatFormat(
        systemPrefix: "<|im_start|>system\n", systemSuffix: "<|im_end|>\n", userPrefix: "<|im_start|>user\n",
        userSuffix: "<|im_end|>\n", assistantPrefix: "<|im_start|>assistant\n", assistantSuffix: "<|im_end|>\n",
        noThinkingSuffix: nil, hasSystemRole: true)

    /// The format of a model, by the family its name starts with; `nil` when the family is not known.
    public static func forModel(named name: String) -> RKLLMChatFormat? {
        let name = name.lowercased()
        if name.hasPrefix("qwen3") {
            var format = chatML
            format.noThinkingSuffix = "<think>\n\n</think>\n\n"
            return format
        }
        if name.hasPrefix("deepseek-r1") {
            return RKLLMChatFormat(
                systemPrefix: "", systemSuffix: "", userPrefix: "<｜User｜>", userSuffix: "",
                assistantPrefix: "<｜Assistant｜>", assistantSuffix: "<｜end▁of▁sentence｜>", noThinkingSuffix: nil,
                hasSystemRole: true)
        }
        for family in ["qwen", "qwq", "minicpm", "internlm", "smollm"] where name.hasPrefix(family) { return chatML }
        if name.hasPrefix("gemma") {
            return RKLLMChatFormat(
                systemPrefix: "", systemSuffix: "", userPrefix: "<start_of_turn>user\n", userSuffix: "<end_of_turn>\n",
                assistantPrefix: "<start_of_turn>model\n", assistantSuffix: "<end_of_turn>\n", noThinkingSuffix: nil,
                hasSystemRole: false)
        }
        if name.hasPrefix("llama-3") || name.hasPrefix("llama3") {
            return RKLLMChatFormat(
                systemPrefix: "<|start_header_id|>system<|end_header_id|>\n\n", systemSuffix: "<|eot_id|>",
                userPrefix: "<|start_header_id|>user<|end_header_id|>\n\n", userSuffix: "<|eot_id|>",
                assistantPrefix: "<|start_header_id|>assistant<|end_header_id|>\n\n", assistantSuffix: "<|eot_id|>",
                noThinkingSuffix: nil, hasSystemRole: true)
        }
        if name.hasPrefix("phi-3") || name.hasPrefix("phi3") || name.hasPrefix("phi-4") || name.hasPrefix("phi4") {
            return RKLLMChatFormat(
                systemPrefix: "<|system|>\n", systemSuffix: "<|end|>\n", userPrefix: "<|user|>\n",
                userSuffix: "<|end|>\n",
                assistantPrefix: "<|assistant|>\n", assistantSuffix: "<|end|>\n", noThinkingSuffix: nil,
                hasSystemRole: true)
        }
        if name.hasPrefix("tinyllama") {
            return RKLLMChatFormat(
                systemPrefix: "<|system|>\n", systemSuffix: "</s>\n", userPrefix: "<|user|>\n", userSuffix: "</s>\n",
                assistantPrefix: "<|assistant|>\n", assistantSuffix: "</s>\n", noThinkingSuffix: nil,
                hasSystemRole: true)
        }
        return nil
    }

    /// Renders a conversation. `thinking` false adds the family's no-thinking marker, when it has one.
    public func render(_ messages: [ChatMessage], thinking: Bool) -> Rendered {
        let system = messages.filter { $0.role == .system }.map(\.content).joined(separator: "\n\n")
        var turns = messages.filter { $0.role != .system }
        if turns.isEmpty { turns = [ChatMessage(role: .user, content: "")] }
        var postfix = userSuffix + assistantPrefix
        if !thinking, let noThinkingSuffix { postfix += noThinkingSuffix }

        var input = ""
        if !hasSystemRole, !system.isEmpty { input += system + "\n\n" }
        for (index, turn) in turns.enumerated() {
            let isLast = index == turns.count - 1
            switch turn.role {
            case .assistant:
                input += turn.content + Self.toolCallText(turn.toolCalls) + assistantSuffix + userPrefix
            case .user, .tool, .system:
                let content = turn.role == .tool ? "<tool_response>\n\(turn.content)\n</tool_response>" : turn.content
                input += Self.imageMarkers(turn) + content
                if !isLast {
                    input += userSuffix + assistantPrefix
                    if index + 1 < turns.count, turns[index + 1].role != .assistant {
                        // Two user turns in a row: close the empty assistant turn between them.
                        input += assistantSuffix + userPrefix
                    }
                }
            }
        }
        let systemPrompt = hasSystemRole && !system.isEmpty ? systemPrefix + system + systemSuffix : ""
        return Rendered(systemPrompt: systemPrompt, promptPrefix: userPrefix, promptPostfix: postfix, input: input)
    }

    /// One image marker per image of `message`, which the runtime replaces with the image's embeddings.
    static func imageMarkers(_ message: ChatMessage) -> String {
        String(repeating: EngineRequest.imageMarker, count: message.images.count)
    }
}

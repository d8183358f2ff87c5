import InferenceTypes
import SchemaGrammar

/// How a model family writes tool calls into its output.
public enum ToolCallSyntax: String, Sendable, Hashable, Codable {
    /// `<tool_call>{"name": …, "arguments": {…}}</tool_call>`, one block per call: Qwen2.5, Qwen3, SmolLM3,
    /// Hermes.
    case hermes
    /// A bare JSON object `{"name": …, "parameters": {…}}` (or `"arguments"`) at the start of the answer,
    /// optionally after `<|python_tag|>`; several are separated by `;` or new lines: Llama 3.1-3.3.
    case llama3
    /// `[TOOL_CALLS][{"name": …, "arguments": {…}}, …]`, or the newer `[TOOL_CALLS]name[ARGS]{…}`: Mistral.
    case mistral
    /// The whole answer is a JSON object `{"name": …, "arguments": {…}}` or an array of them: any other model.
    case json
    /// The core's own generic tool prompt (`GenericToolPrompt`), for a chat template that does not read
    /// `tools`: the whole answer is `{"tool_call": {"name": …, "arguments": {…}}}`, or
    /// `{"tool_calls": [{"name": …, "arguments": {…}}, …]}` for several; a bare `{"name", "arguments"}`
    /// object of an offered tool is read as a call too.
    case generic

    /// Picks the syntax from the model's chat template, or from its architecture when the template does not
    /// tell (GGUF `general.architecture`, such as `qwen3` or `llama`).
    public static func detect(template: String?, architecture: String) -> ToolCallSyntax {
        if let template {
            if template.contains("<tool_call>") { return .hermes }
            if template.contains("[TOOL_CALLS]") { return .mistral }
            if template.contains("<|python_tag|>") || template.contains("<|start_header_id|>ipython") {
                return .llama3
            }
        }
        switch architecture.lowercased() {
        case "qwen2", "qwen2moe", "qwen3", "qwen3moe", "smollm3": return .hermes
        case "llama": return .llama3
        case "mistral", "mistral3": return .mistral
        default: return .json
        }
    }
}

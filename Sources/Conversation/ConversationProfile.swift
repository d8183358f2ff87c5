public import InferenceTypes
public import OrderedJSON
import SchemaGrammar

/// How the core talks with one loaded model: its parsed chat template, whether it can think, and how it
/// writes tool calls. Made once when the model loads, so a template is parsed once and a template that cannot
/// be used fails the load rather than a request.
public struct ConversationProfile: Sendable {
    /// The model's name, for error messages.
    public let modelName: String
    /// The model's chat template, parsed; `nil` when the engine renders conversations itself.
    public let renderer: ChatTemplateRenderer?
    /// Whether the model can think: its template mentions `<think>`, `</think>` or `enable_thinking`, or the
    /// engine says so.
    public let canThink: Bool
    /// The tags the model writes around its reasoning.
    public let reasoningSyntax: ReasoningSyntax
    /// How the model writes tool calls.
    public let toolCallSyntax: ToolCallSyntax
    /// Whether its engine can hold the output to a grammar (which enforces `tool_choice`).
    public let constrainsOutput: Bool
    /// Whether its engine caches prompts by their leading text (`EngineRequest.cachePrefix`, the RKLLM
    /// engine's prompt-cache files); only then does `prepare` render the system turn on its own.
    public let wantsCachePrefix: Bool

    /// Whether tools reach the model through the core's generic tool prompt (`GenericToolPrompt`), because
    /// its chat template does not read `tools`.
    public var usesGenericToolPrompt: Bool { toolCallSyntax == .generic }

    /// Reads what the engine reported of its model; throws `.modelLoadFailed` for a template that does not
    /// parse.
    /// - Parameter wantsCachePrefix: whether the engine caches prompts by prefix (`cachePrefix`).
    public init(info: ModelInfo, modelName: String, wantsCachePrefix: Bool = false) throws(InferenceError) {
        self.modelName = modelName
        self.wantsCachePrefix = wantsCachePrefix
        let template = info.chatTemplate
        renderer = try template.map { (template) throws(InferenceError) in
            try ChatTemplateRenderer(
                template: template, bosToken: info.bosToken ?? "", eosToken: info.eosToken ?? "",
                modelName: modelName)
        }
        let syntax = ReasoningSyntax.think
        reasoningSyntax = syntax
        canThink = Self.canThink(info, syntax: syntax)
        // A template that never reads `tools` would drop them: the core shows them itself.
        toolCallSyntax =
            renderer.map { !$0.readsTools } == true
            ? .generic : ToolCallSyntax.detect(template: template, architecture: info.architecture)
        constrainsOutput = info.constrainsOutput
    }

    /// Renders a small conversation through the chat template, so that a template that runs past its budgets
    /// on every input fails the model's load (`.modelLoadFailed`) instead of every request.
    public func checkTemplate() async throws(InferenceError) {
        try await renderer?.checkBudgets()
    }

    /// The tools the model is shown: none for `tool_choice` none, only the named one for a named function.
    public func offeredTools(_ request: GenerationRequest) -> [JSONValue] {
        switch request.toolChoice {
        case .none: return []
        case .auto, .required: return request.tools
        case .function(let name): return request.tools.filter { Self.toolName($0) == name }
        }
    }

    /// The function name of a tool in OpenAI's shape.
    static func toolName(_ tool: JSONValue) -> String? {
        tool["function"]?["name"]?.stringValue ?? tool["name"]?.stringValue
    }
}

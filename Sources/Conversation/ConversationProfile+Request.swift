public import InferenceTypes
import OrderedJSON
import SchemaGrammar

extension ConversationProfile {
    /// Checks a request against what the model can do, renders its conversation through the model's chat
    /// template when the core renders for this engine, and says how the engine's output is to be read. For an
    /// engine that caches by prefix (`wantsCachePrefix`), the rendered system turn goes in `cachePrefix`.
    ///
    /// `formatGrammar` is the request's response format compiled (`OutputConstraint`); without one, a
    /// `tool_choice` that forces a call gets the grammar of the offered tools' calls on an engine that can
    /// constrain its output.
    ///
    /// Throws `.invalidRequest` for thinking asked of a model that cannot think, a `tool_choice` that names no
    /// offered tool or requires a call without tools, a conversation the template refuses, and a template
    /// that runs past its budgets; `.cancelled` when the calling task is cancelled while the template renders
    /// (on the template render threads, never on the cooperative pool).
    public func prepare(_ request: GenerationRequest, formatGrammar: String? = nil) async throws(InferenceError)
        -> (request: EngineRequest, output: OutputInterpreter)
    {
        if request.thinking == true, !canThink {
            throw .invalidRequest("model \(modelName) does not support thinking")
        }
        let thinking = thinking(for: request)
        let tools = offeredTools(request)
        switch request.toolChoice {
        case .function(let name) where tools.isEmpty:
            throw .invalidRequest("tool_choice names the function '\(name)', which is not one of the tools")
        case .required where tools.isEmpty:
            throw .invalidRequest("tool_choice 'required' needs at least one tool")
        default:
            break
        }
        var prepared = EngineRequest(
            input: request.input, maxTokens: request.maxTokens, stop: request.stop, sampling: request.sampling,
            thinking: thinking, tools: tools, grammar: formatGrammar, logprobs: request.logprobs)
        guard case .chat(let messages) = request.input else {
            return (prepared, OutputInterpreter())
        }
        var startsInReasoning = false
        let generic = renderer != nil && usesGenericToolPrompt
        if let renderer {
            let variables = templateVariables(for: request, thinking: thinking)
            // A template that ignores tools gets them in the system turn, and earlier calls as text.
            var messages =
                generic
                ? GenericToolPrompt.messages(
                    messages, tools: tools, toolChoice: request.toolChoice,
                    parallelToolCalls: request.parallelToolCalls, templateHasToolRole: renderer.hasToolRole)
                : messages
            let original = request.input
            let prompt: String
            do {
                prompt = try await renderer.prompt(
                    messages: messages, tools: generic ? [] : tools, addGenerationPrompt: true, variables: variables)
            } catch .invalidRequest(let message) {
                // A template that refuses the system message the generic prompt added (Gemma's): the
                // instructions go into the first user message instead.
                guard generic, !tools.isEmpty, case .chat(let sent) = original, sent.first?.role != .system else {
                    throw .invalidRequest(message)
                }
                messages = GenericToolPrompt.messages(
                    sent, tools: tools, toolChoice: request.toolChoice, parallelToolCalls: request.parallelToolCalls,
                    templateHasToolRole: renderer.hasToolRole, systemRole: false)
                prompt = try await renderer.prompt(
                    messages: messages, tools: [], addGenerationPrompt: true, variables: variables)
            }
            prepared.input = .rendered(prompt)
            startsInReasoning = canThink && endsInsideReasoning(prompt)
            if wantsCachePrefix, messages.first?.role == .system {
                // The system turn as this conversation renders it (its tools, its variables): the part later
                // requests share, for an engine that caches by prefix; kept only when the prompt begins with it.
                let system = Array(messages.prefix { $0.role == .system })
                if let prefix = await renderedPrefix(of: system, tools: generic ? [] : tools, variables: variables),
                    prompt.hasPrefix(prefix)
                {
                    prepared.cachePrefix = prefix
                }
            }
        }
        let reasoning = canThink && thinking != false ? reasoningSyntax : nil
        if constrainsOutput, prepared.grammar == nil, request.toolChoice.forcesACall {
            // "required" or a named function: the engine may only write a call of one of the offered tools.
            prepared.grammar = try ToolCallGrammar.gbnf(
                tools: tools, syntax: toolCallSyntax, reasoning: reasoning, startsInReasoning: startsInReasoning,
                parallel: request.parallelToolCalls)
        } else if constrainsOutput, prepared.grammar == nil, generic, !tools.isEmpty {
            // "auto" with the generic prompt: plain text, or a call that is sure to parse.
            prepared.grammar = try ToolCallGrammar.gbnfCallOrText(
                tools: tools, parallel: request.parallelToolCalls, reasoning: reasoning,
                startsInReasoning: startsInReasoning)
        }
        if let budget = request.reasoningBudget, let reasoning {
            prepared.reasoningLimit = ReasoningLimit(
                budget: budget, start: reasoning.start, end: reasoning.end, startsInReasoning: startsInReasoning)
        }
        let splitter = canThink ? ReasoningSplitter(syntax: reasoningSyntax, startsInReasoning: startsInReasoning) : nil
        let parser =
            tools.isEmpty
            ? nil : ToolCallParser(syntax: toolCallSyntax, toolNames: Set(tools.compactMap(Self.toolName)))
        return (
            prepared,
            OutputInterpreter(reasoning: splitter, toolCalls: parser, parallelToolCalls: request.parallelToolCalls)
        )
    }

    /// Whether a rendered prompt leaves a reasoning block open (templates that end with `<think>\n`).
    func endsInsideReasoning(_ prompt: String) -> Bool {
        guard let start = prompt.ranges(of: reasoningSyntax.start).last else { return false }
        return !prompt[start.upperBound...].contains(reasoningSyntax.end)
    }
}

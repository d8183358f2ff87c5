public import InferenceTypes
public import OrderedJSON
import SchemaGrammar

/// A GBNF grammar that makes a model call one of the offered tools, in the syntax the model writes calls in:
/// how `tool_choice: "required"` and a named function are enforced on engines that constrain their output,
/// and, for the generic tool prompt, how `auto` keeps a call well formed.
public enum ToolCallGrammar {
    /// The grammar for one call of one of `tools` (OpenAI's shape), with the arguments their parameter
    /// schemas allow. A model that thinks may reason first: `startsInReasoning` says the prompt already opened
    /// the reasoning block. For the `generic` syntax, `parallel` also allows `{"tool_calls": [...]}`.
    public static func gbnf(
        tools: [JSONValue], syntax: ToolCallSyntax, reasoning: ReasoningSyntax?, startsInReasoning: Bool,
        parallel: Bool = false
    ) throws(InferenceError) -> String {
        let (wrapped, callRules) = try callRules(tools: tools, syntax: syntax, parallel: parallel)
        return wrap(wrapped, reasoning: reasoning, startsInReasoning: startsInReasoning) + callRules
    }

    /// The grammar of a `generic` answer under `tool_choice: "auto"`: either a call (`{"tool_call": …}`, or
    /// `{"tool_calls": […]}` when `parallel`) or plain text whose first character (after white space) is not
    /// `{`. A plain answer stays as natural as without tools, and a call, once begun, is held to the tools'
    /// schemas, so it always parses.
    public static func gbnfCallOrText(
        tools: [JSONValue], parallel: Bool, reasoning: ReasoningSyntax?, startsInReasoning: Bool
    ) throws(InferenceError) -> String {
        let (wrapped, callRules) = try callRules(tools: tools, syntax: .generic, parallel: parallel)
        let answer = #"[ \t\n]* (\#(wrapped) | plain-text)"#
        return wrap("answer", reasoning: reasoning, startsInReasoning: startsInReasoning)
            + "answer ::= \(answer)\n" + #"plain-text ::= ([^{ \t\n] [^\x00]*)?"# + "\n" + callRules
    }

    /// The `root` rule: `body` after the reasoning block a thinking model may write first.
    private static func wrap(_ body: String, reasoning: ReasoningSyntax?, startsInReasoning: Bool) -> String {
        guard let reasoning else { return "root ::= \(body)\n" }
        // Reasoning text may not contain the end tag's opening "</"; after it, the answer.
        let end = JSONValue.quoted(reasoning.end)
        let root =
            startsInReasoning
            ? "root ::= thought \(end) [ \\n]* \(body)"
            : "root ::= (\(JSONValue.quoted(reasoning.start)) thought \(end) [ \\n]*)? \(body)"
        return root + "\n" + #"thought ::= ([^<] | "<" [^/])*"# + "\n"
    }

    /// The expression of a call in the model's syntax, and the rules it uses (the `call-json` rule is the
    /// JSON of the call, from the tools' schemas).
    private static func callRules(
        tools: [JSONValue], syntax: ToolCallSyntax, parallel: Bool
    ) throws(InferenceError) -> (wrapped: String, rules: String) {
        let argumentsKey = syntax == .llama3 ? "parameters" : "arguments"
        let choices: [JSONValue] = tools.compactMap { tool in
            let function = tool["function"] ?? tool
            guard let name = function["name"] else { return nil }
            let parameters = function["parameters"] ?? ["type": "object"]
            return [
                "type": "object",
                "properties": ["name": ["const": name], .init(stringLiteral: argumentsKey): parameters],
                "required": ["name", .string(argumentsKey)], "additionalProperties": false,
            ]
        }
        guard !choices.isEmpty else { throw .invalidRequest("tool_choice asks for a tool call but no tool has a name") }
        var schema = choices.count == 1 ? choices[0] : ["anyOf": .array(choices)]
        if syntax == .generic {
            let one: JSONValue = [
                "type": "object", "properties": ["tool_call": schema], "required": ["tool_call"],
                "additionalProperties": false,
            ]
            let several: JSONValue = [
                "type": "object", "properties": ["tool_calls": ["type": "array", "items": schema, "minItems": 1]],
                "required": ["tool_calls"], "additionalProperties": false,
            ]
            schema = parallel ? ["anyOf": [one, several]] : one
        }
        let call = try JSONSchemaGrammar.gbnf(for: schema)
        // The schema's grammar becomes the `call-json` rule; `root` wraps it in the model's call syntax.
        let rules = call.replacingFirst("root ::=", with: "call-json ::=")
        switch syntax {
        case .hermes: return (#""<tool_call>\n" call-json "\n</tool_call>""#, rules)
        case .mistral: return (#""[TOOL_CALLS][" call-json "]""#, rules)
        case .llama3, .json, .generic: return ("call-json", rules)
        }
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = ranges(of: target).first else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}

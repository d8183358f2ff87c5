public import InferenceTypes
public import OrderedJSON
import SchemaGrammar

/// A GBNF grammar that makes a model call one of the offered tools, in the syntax the model writes calls in:
/// how `tool_choice: "required"` and a named function are enforced on engines that constrain their output.
public enum ToolCallGrammar {
    /// The grammar for one call of one of `tools` (OpenAI's shape), with the arguments their parameter
    /// schemas allow. A model that thinks may reason first: `startsInReasoning` says the prompt already opened
    /// the reasoning block.
    public static func gbnf(
        tools: [JSONValue], syntax: ToolCallSyntax, reasoning: ReasoningSyntax?, startsInReasoning: Bool
    ) throws(InferenceError) -> String {
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
        let call = try JSONSchemaGrammar.gbnf(for: choices.count == 1 ? choices[0] : ["anyOf": .array(choices)])
        // The schema's grammar becomes the `call` rule; `root` wraps it in the model's call syntax.
        let callRules = call.replacingFirst("root ::=", with: "tool-call ::=")
        let wrapped: String
        switch syntax {
        case .hermes: wrapped = #""<tool_call>\n" tool-call "\n</tool_call>""#
        case .mistral: wrapped = #""[TOOL_CALLS][" tool-call "]""#
        case .llama3, .json: wrapped = "tool-call"
        }
        guard let reasoning else { return "root ::= \(wrapped)\n" + callRules }
        // Reasoning text may not contain the end tag's opening "</"; after it, the call.
        let end = JSONValue.quoted(reasoning.end)
        let body = #"thought ::= ([^<] | "<" [^/])*"#
        let root =
            startsInReasoning
            ? "root ::= thought \(end) [ \\n]* \(wrapped)"
            : "root ::= (\(JSONValue.quoted(reasoning.start)) thought \(end) [ \\n]*)? \(wrapped)"
        return root + "\n" + body + "\n" + callRules
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = ranges(of: target).first else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}

public import InferenceTypes
public import OrderedJSON

extension ConversationProfile {
    /// Whether the model is to think, from the request's `thinking`, `reasoningEffort` and `reasoningBudget`:
    /// `thinking: false` and a budget of 0 turn it off; `thinking: true`, an effort or a budget turn it on for a
    /// model that can think (an effort or a budget asked of a model that cannot is ignored, as OpenAI clients
    /// send an effort to every model); otherwise `nil` leaves it to the model.
    public func thinking(for request: GenerationRequest) -> Bool? {
        if request.thinking == false || request.reasoningBudget == 0 { return false }
        if request.thinking == true { return true }
        if canThink, request.reasoningEffort != nil || request.reasoningBudget != nil { return true }
        return nil
    }

    /// The chat template's variables: the request's own (`chat_template_kwargs`), then `enable_thinking` from
    /// `thinking` and `reasoning_effort` from the request's effort (`"low"`, `"high"`, …, read by gpt-oss
    /// and others), each unless the request set it itself. No effort is passed when thinking is off.
    public func templateVariables(for request: GenerationRequest, thinking: Bool?) -> [String: JSONValue] {
        var variables = request.templateVariables
        if let thinking, variables["enable_thinking"] == nil { variables["enable_thinking"] = .bool(thinking) }
        if let effort = request.reasoningEffort, thinking != false, variables["reasoning_effort"] == nil {
            variables["reasoning_effort"] = .string(effort.rawValue)
        }
        return variables
    }
}

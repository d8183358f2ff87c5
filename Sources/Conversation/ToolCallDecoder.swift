import InferenceTypes
import OrderedJSON
import SchemaGrammar

/// Turns the JSON a model wrote for a tool call into `ToolCall`s, or says it is not one.
struct ToolCallDecoder: Sendable {
    /// The functions the request offered; empty accepts any name.
    let toolNames: Set<String>
    /// Makes the id of each call.
    let makeID: @Sendable () -> String

    /// A call from `{"name": …, "arguments": {…}}` (or `"parameters"`); arguments given as a string that holds
    /// an object are unwrapped. Missing or `null` arguments are `{}` unless `requiresArguments` (a bare JSON
    /// answer needs them to be told from an ordinary JSON answer). With `keepsModelID`, an `"id"` the model
    /// wrote is kept (Mistral's templates expect their own ids back).
    func call(fromObject value: JSONValue, requiresArguments: Bool = false, keepsModelID: Bool = false) -> ToolCall? {
        guard case .object = value, let name = value["name"]?.stringValue else { return nil }
        var arguments = value["arguments"] ?? value["parameters"]
        if arguments == nil || arguments == .null {
            guard !requiresArguments else { return nil }
            arguments = .object([])
        }
        guard let arguments else { return nil }
        let modelID = keepsModelID ? value["id"]?.stringValue : nil
        return call(name: name, arguments: arguments, id: modelID)
    }

    /// Calls from a JSON array of call objects; `nil` unless every element is a call.
    func calls(fromArray value: JSONValue, requiresArguments: Bool = false, keepsModelID: Bool = false) -> [ToolCall]? {
        guard let elements = value.arrayValue, !elements.isEmpty else { return nil }
        var calls: [ToolCall] = []
        for element in elements {
            guard
                let call = call(fromObject: element, requiresArguments: requiresArguments, keepsModelID: keepsModelID)
            else { return nil }
            calls.append(call)
        }
        return calls
    }

    /// Calls from the generic tool prompt's answer: `{"tool_call": {…}}`, `{"tool_calls": […]}`, or a bare
    /// call object with its arguments; `nil` for any other JSON.
    func calls(fromGeneric value: JSONValue) -> [ToolCall]? {
        if let single = value["tool_call"] { return call(fromObject: single).map { [$0] } }
        if let several = value["tool_calls"] { return calls(fromArray: several) }
        return call(fromObject: value, requiresArguments: true).map { [$0] }
    }

    /// A call to `name` with `arguments` (an object, or a string holding one); `nil` for a name the request
    /// did not offer or arguments that are not an object.
    func call(name: String, arguments: JSONValue, id: String? = nil) -> ToolCall? {
        guard !name.isEmpty, toolNames.isEmpty || toolNames.contains(name) else { return nil }
        var object = arguments
        if let text = arguments.stringValue {
            guard let parsed = try? JSONValue(parsing: text) else { return nil }
            object = parsed
        }
        guard case .object = object else { return nil }
        let callID = id.flatMap { $0.isEmpty ? nil : $0 } ?? makeID()
        return ToolCall(id: callID, name: name, arguments: object.serialized(.compact))
    }
}

import InferenceCore
import InferenceTypes
import OrderedJSON

/// Reads a Responses `input` into the core's conversation: a string is one user message; a list holds
/// `message` items (`input_text` / `output_text` parts), `function_call` and `function_call_output` items of
/// earlier turns and `reasoning` items, whose text becomes the reasoning of the assistant turn that follows.
///
/// A call joins the assistant message just before it, so one assistant turn carries its text and its calls as
/// the chat templates expect. Every item this server cannot read is a 400 naming its place (`input[2].type`).
struct ResponsesInput {
    private(set) var messages: [ChatMessage] = []
    private var pendingReasoning: String?
    private var callNames: [String: String] = [:]

    /// The conversation of `value`; absent or `null` is an empty one.
    static func messages(_ value: JSONValue?) throws(OpenAIError) -> [ChatMessage] {
        switch value {
        case nil, .null?:
            return []
        case .string(let text)?:
            return [ChatMessage(role: .user, content: text)]
        case .array(let items)?:
            var input = ResponsesInput()
            for (index, item) in items.enumerated() { try input.add(item, at: "input[\(index)]") }
            return input.messages
        default:
            throw .invalidRequest("input must be a string or an array of items", param: "input")
        }
    }

    private mutating func add(_ item: JSONValue, at place: String) throws(OpenAIError) {
        guard case .object = item else { throw .invalidRequest("\(place) must be an object", param: place) }
        let type = item["type"]?.stringValue ?? (item["role"] != nil ? "message" : nil)
        switch type {
        case "message":
            try addMessage(item, at: place)
        case "function_call":
            let call = ToolCall(
                id: try Self.string(item, "call_id", at: place), name: try Self.string(item, "name", at: place),
                arguments: try Self.arguments(item["arguments"], at: place))
            callNames[call.id] = call.name
            if var last = messages.last, last.role == .assistant, pendingReasoning == nil {
                last.toolCalls.append(call)
                messages[messages.count - 1] = last
            } else {
                messages.append(
                    ChatMessage(role: .assistant, content: "", reasoning: takeReasoning(), toolCalls: [call]))
            }
        case "function_call_output":
            let id = try Self.string(item, "call_id", at: place)
            let output = try Self.text(of: item["output"], at: "\(place).output")
            messages.append(ChatMessage(role: .tool, content: output, toolCallID: id, toolName: callNames[id]))
        case "reasoning":
            let text = Self.reasoningText(item)
            if !text.isEmpty { pendingReasoning = [pendingReasoning, text].compactMap { $0 }.joined(separator: "\n") }
        case let other?:
            throw .invalidRequest(
                "\(place) has type '\(other)', which this server does not read; send message, function_call, "
                    + "function_call_output or reasoning items",
                param: "\(place).type")
        case nil:
            throw .invalidRequest("\(place) needs a type (message, function_call, ...)", param: "\(place).type")
        }
    }

    private mutating func addMessage(_ item: JSONValue, at place: String) throws(OpenAIError) {
        let role: ChatMessage.Role
        switch item["role"]?.stringValue {
        case "user": role = .user
        case "system", "developer": role = .system
        case "assistant": role = .assistant
        default:
            throw .invalidRequest(
                "\(place).role must be one of user, system, developer, assistant", param: "\(place).role")
        }
        let (content, images) = try Self.content(of: item["content"], at: "\(place).content")
        let reasoning = role == .assistant ? takeReasoning() : nil
        var message = ChatMessage(role: role, content: content, reasoning: reasoning)
        message.images = images
        messages.append(message)
    }

    private mutating func takeReasoning() -> String? {
        defer { pendingReasoning = nil }
        return pendingReasoning
    }

    /// A content string, or the text of its parts; an image in it (a tool's output) is a 400.
    private static func text(of value: JSONValue?, at place: String) throws(OpenAIError) -> String {
        let (text, images) = try content(of: value, at: place)
        guard images.isEmpty else {
            throw .invalidRequest("\(place) may hold text only, not images", param: place)
        }
        return text
    }

    /// A content string, or its parts: the text of `input_text`, `output_text` and `refusal` parts joined in
    /// order, and the images of `input_image` parts (`image_url` a `data:` or `http(s)` URL; `file_id` is a
    /// 400, as this server has no files API).
    private static func content(of value: JSONValue?, at place: String) throws(OpenAIError)
        -> (text: String, images: [ImageData])
    {
        switch value {
        case .string(let text)?:
            return (text, [])
        case .array(let parts)?:
            var text = ""
            var images: [ImageData] = []
            for (index, part) in parts.enumerated() {
                let type = part["type"]?.stringValue
                switch type {
                case "input_text", "output_text", "text":
                    text += part["text"]?.stringValue ?? ""
                case "refusal":
                    text += part["refusal"]?.stringValue ?? ""
                case "input_image":
                    images.append(try image(part, at: "\(place)[\(index)]"))
                default:
                    throw .invalidRequest(
                        "\(place)[\(index)] is of type '\(type ?? "none")': this server reads text and image parts "
                            + "only (input_text, output_text, input_image)",
                        param: "\(place)[\(index)]")
                }
            }
            return (text, images)
        default:
            throw .invalidRequest("\(place) must be a string or an array of content parts", param: place)
        }
    }

    /// The image of an `input_image` part.
    private static func image(_ part: JSONValue, at place: String) throws(OpenAIError) -> ImageData {
        let url = part["image_url"]?.stringValue ?? part["image_url"]?["url"]?.stringValue
        guard let url, !url.isEmpty else {
            if let fileID = part["file_id"], fileID != .null {
                throw .invalidRequest(
                    "\(place).file_id: this server has no files API; send the image as a data: URL in image_url",
                    param: "\(place).file_id")
            }
            throw .invalidRequest("\(place).image_url is required", param: "\(place).image_url")
        }
        do {
            return try ImageSource.image(url: url)
        } catch {
            throw .invalidRequest("\(place).image_url: \(error.reason)", param: "\(place).image_url")
        }
    }

    /// The summary texts of a reasoning item, or its `reasoning_text` content when it has no summary.
    private static func reasoningText(_ item: JSONValue) -> String {
        let summary = (item["summary"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
        if !summary.isEmpty { return summary.joined(separator: "\n") }
        return (item["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
    }

    /// A call's arguments: the JSON string OpenAI defines, or an object as some clients send.
    private static func arguments(_ value: JSONValue?, at place: String) throws(OpenAIError) -> String {
        switch value {
        case .string(let text)?: return text
        case nil, .null?: return "{}"
        case .object(let members)?: return JSONValue.object(members).serialized()
        default:
            throw .invalidRequest("\(place).arguments must be a JSON string", param: "\(place).arguments")
        }
    }

    private static func string(_ item: JSONValue, _ key: String, at place: String) throws(OpenAIError) -> String {
        guard let value = item[key]?.stringValue, !value.isEmpty else {
            throw .invalidRequest("\(place).\(key) must be a non-empty string", param: "\(place).\(key)")
        }
        return value
    }
}

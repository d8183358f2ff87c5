import InferenceCore
import InferenceTypes
import OrderedJSON

/// `system` and `messages` of a Messages request as the core's conversation.
///
/// A user turn's `tool_result` blocks become `tool` messages (before its text, as they answer the turn before);
/// an assistant turn's `text` blocks its content, its `tool_use` blocks its tool calls and its `thinking` blocks
/// its reasoning. `redacted_thinking` is accepted and dropped: its data is another server's encrypted reasoning.
/// A user turn's `image` blocks (a base64 `source` or a `url` one) become its images, in order, as do the image
/// blocks of a `tool_result`'s content for its `tool` message; at most `ImageSource.maxImagesPerRequest` in all.
/// Documents are a 400.
struct MessagesConversation {
    private(set) var messages: [ChatMessage] = []
    /// The names of the tools called so far, by call id, for the tool results that answer them.
    private var toolNames: [String: String] = [:]
    /// The images read so far, against the bound.
    private var imageCount = 0

    init(system: JSONValue?, messages wire: JSONValue?) throws(AnthropicError) {
        if let system {
            let text = try Self.text(of: system, path: "system", allowed: ["text"])
            if !text.isEmpty { messages.append(ChatMessage(role: .system, content: text)) }
        }
        guard let wire else { throw .invalidRequest("messages: Field required") }
        guard let list = wire.arrayValue else { throw .invalidRequest("messages: Input should be an array") }
        guard !list.isEmpty else { throw .invalidRequest("messages: at least one message is required") }
        for (index, value) in list.enumerated() {
            let message = try WireObject(value, path: "messages[\(index)]")
            switch try message.requiredString("role") {
            case "user": try appendUser(message)
            case "assistant": try appendAssistant(message)
            case let role:
                throw .invalidRequest(
                    "\(message.path("role")): '\(role)' is not one of 'user', 'assistant' (the system prompt goes "
                        + "in the top-level 'system' field)")
            }
        }
    }

    private mutating func appendUser(_ message: WireObject) throws(AnthropicError) {
        var texts: [String] = []
        var images: [ImageData] = []
        for (block, path) in try Self.blocks(of: message) {
            switch try block.requiredString("type") {
            case "text": texts.append(try block.requiredString("text"))
            case "image": images.append(try image(block))
            case "tool_result":
                let id = try block.requiredString("tool_use_id")
                var content = ""
                var toolImages: [ImageData] = []
                if let value = block["content"] {
                    (content, toolImages) = try toolResult(value, path: block.path("content"))
                }
                if try block.bool("is_error") == true { content = "Error: \(content)" }
                var result = ChatMessage(role: .tool, content: content, toolCallID: id, toolName: toolNames[id])
                result.images = toolImages
                messages.append(result)
            case let type: throw Self.unsupported(type, at: path, role: "user")
            }
        }
        if !texts.isEmpty || !images.isEmpty || message["content"]?.stringValue != nil {
            var user = ChatMessage(role: .user, content: texts.joined(separator: "\n\n"))
            user.images = images
            messages.append(user)
        }
    }

    /// The image of an `image` block: `source` `{type: base64, media_type, data}` or `{type: url, url}`.
    private mutating func image(_ block: WireObject) throws(AnthropicError) -> ImageData {
        guard let source = try block.object("source") else {
            throw .invalidRequest("\(block.path("source")): Field required")
        }
        imageCount += 1
        do {
            try ImageSource.checkCount(imageCount)
            switch try source.requiredString("type") {
            case "base64":
                if let mediaType = try source.string("media_type"), !mediaType.hasPrefix("image/") {
                    throw AnthropicError.invalidRequest(
                        "\(source.path("media_type")): '\(mediaType)' is not an image type")
                }
                return try ImageSource.image(base64: try source.requiredString("data"))
            case "url":
                let url = try source.requiredString("url")
                let scheme = url.prefix(8).lowercased()
                guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else {
                    throw AnthropicError.invalidRequest("\(source.path("url")): only http(s) URLs are read")
                }
                return ImageData(url: url)
            case let type:
                throw AnthropicError.invalidRequest(
                    "\(source.path("type")): image sources of type '\(type)' are not supported; use base64 or url")
            }
        } catch let error as ImageSourceError {
            throw .invalidRequest("\(block.path): \(error.reason)")
        } catch let error as AnthropicError {
            throw error
        } catch {
            throw .invalidRequest("\(block.path): \(error)")
        }
    }

    /// A `tool_result`'s content: a string, or text blocks (joined by a blank line) and image blocks.
    private mutating func toolResult(_ value: JSONValue, path: String) throws(AnthropicError)
        -> (text: String, images: [ImageData])
    {
        guard let blocks = value.arrayValue else {
            return (try Self.text(of: value, path: path, allowed: ["text"]), [])
        }
        var texts: [String] = []
        var images: [ImageData] = []
        for (index, value) in blocks.enumerated() {
            let block = try WireObject(value, path: "\(path)[\(index)]")
            switch try block.requiredString("type") {
            case "text": texts.append(try block.requiredString("text"))
            case "image": images.append(try image(block))
            case let type: throw Self.unsupported(type, at: block.path, role: nil)
            }
        }
        return (texts.joined(separator: "\n\n"), images)
    }

    private mutating func appendAssistant(_ message: WireObject) throws(AnthropicError) {
        var texts: [String] = []
        var reasoning: [String] = []
        var calls: [ToolCall] = []
        for (block, path) in try Self.blocks(of: message) {
            switch try block.requiredString("type") {
            case "text": texts.append(try block.requiredString("text"))
            case "thinking": reasoning.append(try block.requiredString("thinking"))
            case "redacted_thinking": continue
            case "tool_use":
                let id = try block.requiredString("id")
                let name = try block.requiredString("name")
                let input = try block.object("input")?.value ?? [:]
                calls.append(ToolCall(id: id, name: name, arguments: input.serialized()))
                toolNames[id] = name
            case let type: throw Self.unsupported(type, at: path, role: "assistant")
            }
        }
        messages.append(
            ChatMessage(
                role: .assistant, content: texts.joined(), reasoning: reasoning.isEmpty ? nil : reasoning.joined(),
                toolCalls: calls))
    }

    /// The content blocks of a message; a string content is one text block.
    private static func blocks(of message: WireObject) throws(AnthropicError) -> [(WireObject, String)] {
        guard let content = message["content"] else {
            throw .invalidRequest("\(message.path("content")): Field required")
        }
        if let text = content.stringValue {
            return [(try WireObject(["type": "text", "text": .string(text)], path: ""), "")]
        }
        guard let blocks = content.arrayValue else {
            throw .invalidRequest("\(message.path("content")): Input should be a string or an array of content blocks")
        }
        return try blocks.enumerated().map { index, block throws(AnthropicError) in
            let path = "\(message.path("content"))[\(index)]"
            return (try WireObject(block, path: path), path)
        }
    }

    /// The text of a string or of an array of text blocks, the blocks joined by a blank line.
    private static func text(of value: JSONValue, path: String, allowed: Set<String>) throws(AnthropicError)
        -> String
    {
        if let text = value.stringValue { return text }
        guard let blocks = value.arrayValue else {
            throw .invalidRequest("\(path): Input should be a string or an array of text blocks")
        }
        var texts: [String] = []
        for (index, value) in blocks.enumerated() {
            let block = try WireObject(value, path: "\(path)[\(index)]")
            let type = try block.requiredString("type")
            guard allowed.contains(type) else { throw unsupported(type, at: block.path, role: nil) }
            texts.append(try block.requiredString("text"))
        }
        return texts.joined(separator: "\n\n")
    }

    private static func unsupported(_ type: String, at path: String, role: String?) -> AnthropicError {
        switch type {
        case "document":
            return .invalidRequest(
                "\(path): 'document' content blocks are not supported: send the document's text in a text block")
        case "image":
            return .invalidRequest("\(path): 'image' content blocks are read in user messages only")
        default:
            let place = role.map { " in a \($0) message" } ?? ""
            return .invalidRequest("\(path): content blocks of type '\(type)' are not supported\(place)")
        }
    }
}

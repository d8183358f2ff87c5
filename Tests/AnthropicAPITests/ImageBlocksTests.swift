import FoundationEssentials
import InferenceTypes
import OrderedJSON
import Testing

@testable import AnthropicAPI

/// How Anthropic's image blocks (base64 and url sources, in user turns and tool results) become images.
@Suite struct ImageBlocksTests {
    static let png =
        "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg=="
    static let pngBytes = [UInt8](Data(base64Encoded: png) ?? Data())
    static let base64Block = #"{"type":"image","source":{"type":"base64","media_type":"image/png","data":"\#(png)"}}"#

    private func messages(_ content: String) throws -> [ChatMessage] {
        let body = try MessagesRequest(
            try JSONValue(parsing: #"{"model":"m","max_tokens":5,"messages":[\#(content)]}"#))
        guard case .chat(let messages) = body.generation.input else { return [] }
        return messages
    }

    private func refusal(_ content: String) -> String? {
        do {
            _ = try messages(content)
            return nil
        } catch {
            return (error as? AnthropicError)?.message
        }
    }

    @Test func base64AndURLSourcesBecomeTheUserTurnsImagesInOrder() throws {
        let messages = try messages(
            #"""
            {"role":"user","content":[\#(Self.base64Block),
              {"type":"image","source":{"type":"url","url":"https://example.com/a.jpg"}},
              {"type":"text","text":"Compare them."}]}
            """#)
        #expect(messages.count == 1)
        #expect(messages[0].content == "Compare them.")
        #expect(messages[0].images.map(\.bytes) == [Self.pngBytes, []])
        #expect(messages[0].images.map(\.url) == [nil, "https://example.com/a.jpg"])
    }

    @Test func aToolResultsImagesGoWithItsToolMessage() throws {
        let messages = try messages(
            #"""
            {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"shot","input":{}}]},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"here"},\#(Self.base64Block)]}]}
            """#)
        #expect(messages.map(\.role) == [.assistant, .tool])
        #expect(messages[1].content == "here")
        #expect(messages[1].images.map(\.bytes) == [Self.pngBytes])
    }

    @Test(arguments: [
        (
            #"{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%%%"}}"#,
            "messages[0].content[0]: the image is not valid base64"
        ),
        (
            #"{"type":"image","source":{"type":"base64","media_type":"text/plain","data":"aGVsbG8="}}"#,
            "messages[0].content[0].source.media_type"
        ),
        (#"{"type":"image","source":{"type":"url","url":"file:///etc/passwd"}}"#, "only http(s) URLs"),
        (#"{"type":"image","source":{"type":"file","file_id":"f"}}"#, "'file' are not supported"),
        (#"{"type":"image"}"#, "messages[0].content[0].source: Field required"),
    ])
    func anImageBlockThatIsNoImageIsA400NamingIt(block: String, fragment: String) throws {
        let message = try #require(refusal(#"{"role":"user","content":[\#(block)]}"#))
        #expect(message.contains(fragment), "\(message)")
    }

    @Test func moreThanSixteenImagesAreA400() throws {
        let blocks = Array(repeating: Self.base64Block, count: 17).joined(separator: ",")
        let message = try #require(refusal(#"{"role":"user","content":[\#(blocks)]}"#))
        #expect(message.contains("at most 16"))
    }
}

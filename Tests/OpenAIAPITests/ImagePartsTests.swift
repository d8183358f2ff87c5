import FoundationEssentials
import Hummingbird
import InferenceCore
import InferenceTypes
import Testing

@testable import OpenAIAPI

/// How OpenAI's image parts (chat `image_url`, Responses `input_image`) become the messages' images, and how a
/// part that is no image the server can take is a 400 naming it.
@Suite struct ImagePartsTests {
    static let png =
        "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg=="
    static let pngBytes = [UInt8](Data(base64Encoded: png) ?? Data())

    private func chat(_ content: String) throws -> [ChatMessage] {
        let json = #"{"model":"m","messages":[{"role":"user","content":\#(content)}]}"#
        let request = try JSONRequestDecoding.decode(ChatCompletionRequest.self, from: Data(json.utf8))
            .generationRequest()
        guard case .chat(let messages) = request.input else { return [] }
        return messages
    }

    private func chatRefusal(_ content: String) -> OpenAIError? {
        do {
            _ = try chat(content)
            return nil
        } catch {
            return error as? OpenAIError
        }
    }

    @Test func dataURLsInBothFormsAndHTTPURLsBecomeTheMessagesImagesInOrder() throws {
        let messages = try chat(
            #"""
            [{"type":"image_url","image_url":{"url":"data:image/png;base64,\#(Self.png)","detail":"low"}},
             {"type":"text","text":"What is this?"},
             {"type":"image_url","image_url":"data:image/png;base64,\#(Self.png)"},
             {"type":"image_url","image_url":{"url":"https://example.com/cat.png"}}]
            """#)
        #expect(messages.count == 1)
        #expect(messages[0].content == "What is this?")
        #expect(messages[0].images.map(\.bytes) == [Self.pngBytes, Self.pngBytes, []])
        #expect(messages[0].images.map(\.url) == [nil, nil, "https://example.com/cat.png"])
    }

    @Test(arguments: [
        #"[{"type":"image_url","image_url":{"url":"file:///etc/passwd"}}]"#,
        #"[{"type":"image_url","image_url":{"url":"data:image/png;base64,!!!!"}}]"#,
        #"[{"type":"image_url","image_url":{"url":"data:image/png,rawbytes"}}]"#,
        #"[{"type":"image_url","image_url":{"url":"data:text/plain;base64,aGVsbG8="}}]"#,
        #"[{"type":"image_url","image_url":{"url":"garbage"}}]"#,
        #"[{"type":"image_url","image_url":{}}]"#,
    ])
    func anImageURLThatIsNoImageIsA400NamingThePart(content: String) throws {
        let error = try #require(chatRefusal(content))
        #expect(error.status == .badRequest)
        #expect(error.param == "messages[0].content[0].image_url")
        #expect(error.message.hasPrefix("messages[0].content[0]"))
    }

    @Test func audioAndFilePartsStayA400() throws {
        for part in [#"{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"}}"#, #"{"type":"file"}"#] {
            let error = try #require(chatRefusal("[\(part)]"))
            #expect(error.param == "messages[0].content[0].type")
        }
    }

    @Test func moreThanSixteenImagesAreA400() throws {
        let part = #"{"type":"image_url","image_url":"data:image/png;base64,\#(Self.png)"}"#
        #expect(try chat("[" + Array(repeating: part, count: 16).joined(separator: ",") + "]")[0].images.count == 16)
        let error = try #require(chatRefusal("[" + Array(repeating: part, count: 17).joined(separator: ",") + "]"))
        #expect(error.param == "messages" && error.message.contains("at most 16"))
    }

    private func responses(_ content: String) throws -> [ChatMessage] {
        let json = #"{"model":"m","input":[{"role":"user","content":\#(content)}]}"#
        let plan = try JSONRequestDecoding.decode(ResponsesRequest.self, from: Data(json.utf8)).plan()
        guard case .chat(let messages) = plan.request.input else { return [] }
        return messages
    }

    @Test func responsesInputImagePartsBecomeImages() throws {
        let messages = try responses(
            #"""
            [{"type":"input_text","text":"Describe"},
             {"type":"input_image","image_url":"data:image/png;base64,\#(Self.png)","detail":"auto"},
             {"type":"input_image","image_url":"http://127.0.0.1:9/x.png"}]
            """#)
        #expect(messages[0].content == "Describe")
        #expect(messages[0].images.map(\.bytes) == [Self.pngBytes, []])
        #expect(messages[0].images.map(\.url) == [nil, "http://127.0.0.1:9/x.png"])
    }

    @Test func aResponsesFileIDIsA400() throws {
        #expect {
            _ = try responses(#"[{"type":"input_image","file_id":"file-123"}]"#)
        } throws: { error in
            (error as? OpenAIError)?.param == "input[0].content[0].file_id"
        }
        #expect {
            _ = try responses(#"[{"type":"input_image","image_url":"data:image/png;base64,%%%"}]"#)
        } throws: { error in
            (error as? OpenAIError)?.param == "input[0].content[0].image_url"
        }
    }
}

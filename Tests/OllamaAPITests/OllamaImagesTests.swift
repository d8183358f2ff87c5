import FoundationEssentials
import InferenceTypes
import Testing

@testable import OllamaAPI

/// How Ollama's `images` (base64, or a data: URL) reach the core: a chat message's, a generate prompt's, or a
/// raw prompt's images; anything else a 400 naming it.
@Suite struct OllamaImagesTests {
    static let png =
        "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg=="
    static let pngBytes = [UInt8](Data(base64Encoded: png) ?? Data())

    private func chat(_ images: String) throws -> GenerationRequest? {
        let json = #"{"model":"m","messages":[{"role":"user","content":"What?","images":\#(images)}]}"#
        return try JSONDecoder().decode(OllamaChatRequest.self, from: Data(json.utf8)).generationRequest()
    }

    @Test func chatImagesInBase64AndDataURLsBecomeTheMessagesImages() throws {
        let request = try #require(try chat(#"["\#(Self.png)","data:image/png;base64,\#(Self.png)"]"#))
        guard case .chat(let messages) = request.input else {
            Issue.record("not a chat")
            return
        }
        #expect(messages[0].images.map(\.bytes) == [Self.pngBytes, Self.pngBytes])
    }

    @Test func badBase64AndTooManyImagesAreA400() throws {
        #expect {
            _ = try chat(#"["not base64 !!"]"#)
        } throws: { error in
            (error as? OllamaError)?.message.contains("messages[0].images[0]") == true
        }
        let many = "[" + Array(repeating: "\"\(Self.png)\"", count: 17).joined(separator: ",") + "]"
        #expect {
            _ = try chat(many)
        } throws: { error in
            (error as? OllamaError)?.message.contains("at most 16") == true
        }
    }

    @Test func generateImagesGoWithThePromptOrARawPrompt() throws {
        let chat = try #require(
            try JSONDecoder().decode(
                OllamaGenerateRequest.self,
                from: Data(#"{"model":"m","prompt":"What?","images":["\#(Self.png)"]}"#.utf8)
            ).generationRequest())
        guard case .chat(let messages) = chat.input else {
            Issue.record("not a chat")
            return
        }
        #expect(messages.last?.images.map(\.bytes) == [Self.pngBytes])
        let raw = try #require(
            try JSONDecoder().decode(
                OllamaGenerateRequest.self,
                from: Data(#"{"model":"m","prompt":"What?","raw":true,"images":["\#(Self.png)"]}"#.utf8)
            ).generationRequest())
        #expect(raw.input == .text("What?"))
        #expect(raw.images.map(\.bytes) == [Self.pngBytes])
    }
}

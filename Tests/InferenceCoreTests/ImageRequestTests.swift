import FoundationEssentials
import InferenceCore
import InferenceTypes
import TestSupport
import Testing

/// The core's checks of images before a model is touched, and how they reach the engine: in order, at one
/// marker each in a prompt the core renders.
///
/// The tests that send a readable image need ImageCodec's real decoder (`ImageDecoder.header`).
@Suite struct ImageRequestTests {
    static let png =
        "iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR4nGP4z8AARwzEcQCukw/x0F8jngAAAABJRU5ErkJggg=="
    static let template =
        "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}\n{% endfor %}"
        + "{% if add_generation_prompt %}<|assistant|>{% endif %}"

    private static func visionEngine(template: String?) -> ScriptedEngine {
        var info = ScriptedEngine.info(chatTemplate: template)
        info.vision = true
        return ScriptedEngine(info: info)
    }

    private static func image(_ text: String = png) throws -> ImageData {
        try #require(ImageData(base64: text))
    }

    private static func request(_ messages: [ChatMessage]) -> GenerationRequest {
        GenerationRequest(model: "alpha", input: .chat(messages))
    }

    @Test func imagesReachTheEngineInOrderAtMarkersInTheRenderedPrompt() async throws {
        let core = try ScriptedCore { _ in Self.visionEngine(template: Self.template) }
        try await core.service.load("alpha")
        let first = try Self.image()
        var second = try Self.image()
        second.bytes += [0]  // another file, same picture
        var user = ChatMessage(role: .user, content: "Compare.")
        user.images = [first, second]
        var later = ChatMessage(role: .user, content: "And this?")
        later.images = [first]
        let generation = try await core.service.generate(
            Self.request([ChatMessage(role: .system, content: "Be brief."), user, later]))
        _ = try await generation.collect()
        let sent = try #require(core.loader.engines.first?.requests.first)
        #expect(sent.images == [first, second, first])
        guard case .rendered(let prompt) = sent.input else {
            Issue.record("the core did not render the prompt: \(sent.input)")
            return
        }
        #expect(prompt.contains("<|user|><image><image>Compare.\n<|user|><image>And this?\n"))
        #expect(prompt.components(separatedBy: EngineRequest.imageMarker).count == 4)
    }

    @Test func anEngineThatRendersItselfGetsTheImagesAndTheUnmarkedConversation() async throws {
        let core = try ScriptedCore { _ in Self.visionEngine(template: nil) }
        try await core.service.load("alpha")
        var user = ChatMessage(role: .user, content: "What is it?")
        user.images = [try Self.image()]
        _ = try await core.service.generate(Self.request([user])).collect()
        let sent = try #require(core.loader.engines.first?.requests.first)
        #expect(sent.images.count == 1)
        #expect(sent.input == .chat([user]))
    }

    @Test func aRawPromptsImagesHaveTheirMarkersAtItsStart() async throws {
        let core = try ScriptedCore { _ in Self.visionEngine(template: Self.template) }
        try await core.service.load("alpha")
        var request = GenerationRequest(model: "alpha", input: .text("Describe."))
        request.images = [try Self.image(), try Self.image()]
        _ = try await core.service.generate(request).collect()
        let sent = try #require(core.loader.engines.first?.requests.first)
        #expect(sent.input == .text("<image><image>Describe."))
        #expect(sent.images.count == 2)
    }

    @Test func anImageToATextModelIsA400NamingItBeforeLoading() async throws {
        let core = try ScriptedCore()
        var user = ChatMessage(role: .user, content: "What is it?")
        user.images = [try Self.image()]
        await #expect(throws: InferenceError.invalidRequest("model 'alpha' does not support images")) {
            _ = try await core.service.generate(Self.request([user]))
        }
        await #expect(throws: InferenceError.invalidRequest("model 'alpha' does not support images")) {
            _ = try await core.service.countTokens(Self.request([user]))
        }
        #expect(core.loader.loads == 0)
    }

    @Test func aCorruptImageIsA400NamingIt() async throws {
        let core = try ScriptedCore { _ in Self.visionEngine(template: Self.template) }
        try await core.service.load("alpha")
        var user = ChatMessage(role: .user, content: "What is it?")
        user.images = [try Self.image(), ImageData(bytes: Array("not an image at all".utf8))]
        await #expect {
            _ = try await core.service.generate(Self.request([user]))
        } throws: { error in
            guard case .invalidRequest(let message) = error as? InferenceError else { return false }
            return message.hasPrefix("image 2 cannot be read: ")
        }
        #expect(core.loader.engines.first?.generations == 0)
    }

    @Test func anImageURLIsRefusedUnlessTheServiceFetchesIt() async throws {
        let core = try ScriptedCore { _ in Self.visionEngine(template: Self.template) }
        var user = ChatMessage(role: .user, content: "What is it?")
        user.images = [ImageData(url: "http://127.0.0.1:9/x.png")]
        await #expect(throws: InferenceError.imageURLsNotFetched) {
            _ = try await core.service.fetchingImages(Self.request([user]))
        }
        try await core.service.load("alpha")
        await #expect(throws: InferenceError.imageURLsNotFetched) {
            _ = try await core.service.generate(Self.request([user]))
        }
    }
}

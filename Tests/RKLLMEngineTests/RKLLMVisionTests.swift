import Foundation
import InferenceCore
import InferenceTypes
import ModelStore
import TestSupport
import Testing

@testable import RKLLMEngine

/// Images through the RKLLM engine to the simulator's multimodal input, in both runtime layouts, with a scripted
/// encoder in place of the RKNN one: an image's bytes are its colour (the first three bytes, red, green, blue),
/// which every embedding row carries in its first three columns, so the simulator's `[[vision]]` answer shows what
/// reached it.
@Suite(.serialized) struct RKLLMVisionTests {
    static let qwenModel = "Qwen2-VL-2B-Instruct-w8a8-rk3588.rkllm"
    static let qwenEncoder = "Qwen2-VL-2B-Instruct-vision-rk3588.rknn"
    static let qwenTags = "start=<|vision_start|> end=<|vision_end|>"

    /// A model and its encoder file in a fresh directory, loaded with the scripted encoder.
    func load(
        _ layout: String, model: String = qwenModel, encoder: String? = qwenEncoder, sidecar: String? = nil,
        parallel: Int = 0
    ) async throws -> any Engine {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory, fileName: model, sidecar: sidecar)
        if let encoder { try Data("RKNNSIM1{}".utf8).write(to: URL(fileURLWithPath: "\(directory)/\(encoder)")) }
        var loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout), parallel: parallel))
        loader.makeImageEncoder = { configuration, _, _ in ScriptedImageEncoder(configuration: configuration) }
        return try await loader.load(try #require(ModelRegistry(directory: directory).models().first))
    }

    func message(_ text: String, images: [ImageData] = [], role: ChatMessage.Role = .user) -> ChatMessage {
        var message = ChatMessage(role: role, content: text)
        message.images = images
        return message
    }

    func request(_ messages: [ChatMessage]) -> EngineRequest {
        var request = EngineRequest(input: .chat(messages), maxTokens: 200)
        request.images = messages.flatMap(\.images)
        return request
    }

    static let red = ImageData(bytes: [255, 0, 0])
    static let blue = ImageData(bytes: [0, 0, 255])
    static let grey = ImageData(bytes: [51, 102, 153])

    @Test(arguments: Simulator.layouts)
    func oneImageReachesTheRuntimeWithTheFamilysTagsAndImageTokens(layout: String) async throws {
        let engine = try await load(layout)
        #expect(engine.info.vision)
        let before = Simulator.eventCount()
        let (text, summary) = try await engine.answer(
            request([message("What is this? [[vision]]", images: [Self.red])]))
        #expect(text == "vision images=1 image_tokens=196 \(Self.qwenTags) colours=#ff0000")
        let events = Simulator.events(from: before)
        #expect(
            events.contains(
                "multimodal n_image=1 n_image_tokens=196 image_width=392 image_height=392 "
                    + "image_start=<|vision_start|> image_end=<|vision_end|> image_content=<|image_pad|>"))
        // The image's 196 embeddings count as prompt tokens, on top of the text's.
        #expect(summary.usage.promptTokens > 196)
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func twoImagesInOneMessageAndAcrossMessagesArriveInOrder(layout: String) async throws {
        let engine = try await load(layout)
        let (together, _) = try await engine.answer(
            request([message("Compare them. [[vision]]", images: [Self.red, Self.blue])]))
        #expect(together.hasSuffix("images=2 image_tokens=196 \(Self.qwenTags) colours=#ff0000,#0000ff"))
        let conversation = [
            message("First this.", images: [Self.blue]), message("A blue square.", role: .assistant),
            message("And now? [[vision]]", images: [Self.grey, Self.red]),
        ]
        let (across, _) = try await engine.answer(request(conversation))
        #expect(across.hasSuffix("images=3 image_tokens=196 \(Self.qwenTags) colours=#0000ff,#336699,#ff0000"))
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aRenderedPromptKeepsItsMarkersAndAMismatchIsRefused(layout: String) async throws {
        let engine = try await load(layout)
        var rendered = EngineRequest(
            input: .rendered("<|im_start|>user\n<image>Which colour? [[vision]]<|im_end|>\n"), maxTokens: 200)
        rendered.images = [Self.blue]
        let (text, _) = try await engine.answer(rendered)
        #expect(text.hasSuffix("images=1 image_tokens=196 \(Self.qwenTags) colours=#0000ff"))

        rendered.images = [Self.blue, Self.red]
        await #expect {
            _ = try await engine.answer(rendered)
        } throws: { error in
            guard case .invalidRequest(let reason) = error as? InferenceError else { return false }
            return reason.contains("1 image marker") && reason.contains("2 images")
        }
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func anImageThatCannotBeReadIsAnInvalidRequestNamingIt(layout: String) async throws {
        let engine = try await load(layout)
        await #expect {
            _ = try await engine.answer(request([message("Look.", images: [Self.red, ImageData(bytes: [])])]))
        } throws: { error in
            guard case .invalidRequest(let reason) = error as? InferenceError else { return false }
            return reason.hasPrefix("image 2 cannot be read")
        }
        // The model goes on answering.
        let (text, _) = try await engine.answer(request([message("[[vision]]", images: [Self.red])]))
        #expect(text.hasSuffix("colours=#ff0000"))
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func imagesToATextOnlyModelAreRefusedNamingTheModel(layout: String) async throws {
        let engine = try await load(layout, model: "Qwen_Qwen3-0.6B-w8a8-rk3588.rkllm", encoder: nil)
        #expect(!engine.info.vision)
        await #expect {
            _ = try await engine.answer(request([message("Look.", images: [Self.red])]))
        } throws: { error in
            guard case .invalidRequest(let reason) = error as? InferenceError else { return false }
            return reason.contains("qwen3-0.6b") && reason.contains("does not read images")
        }
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aSidecarsTagsAndImageTokensReachTheRuntime(layout: String) async throws {
        let sidecar = #"""
            {"vision": {"encoder": "encoder.rknn", "image_tokens": 64, "image_start": "<img>", "image_end": "</img>",
                        "image_content": "<IMG_CONTEXT>"}}
            """#
        let engine = try await load(
            layout, model: "internvl-ish-w8a8-rk3588.rkllm", encoder: "encoder.rknn", sidecar: sidecar)
        let before = Simulator.eventCount()
        let (text, _) = try await engine.answer(request([message("[[vision]]", images: [Self.grey])]))
        #expect(text == "vision images=1 image_tokens=64 start=<img> end=</img> colours=#336699")
        #expect(Simulator.events(from: before).contains { $0.hasSuffix("image_content=<IMG_CONTEXT>") })
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aMultimodalRequestRunsAloneInABatch(layout: String) async throws {
        let engine = try await load(layout, parallel: 2)
        let before = Simulator.eventCount()
        async let text = engine.answer(request([message("[[echo]]plain[[/echo]]")]))
        async let image = engine.answer(request([message("[[vision]]", images: [Self.red])]))
        let (plain, pictured) = try await (text, image)
        #expect(plain.0 == "plain")
        #expect(pictured.0.hasSuffix("colours=#ff0000"))
        // Each run fills its other batch element with padding: two runs, not one.
        let runs = Simulator.events(from: before).filter { $0.hasPrefix("finish ") }
        #expect(runs.count == 2)
        await engine.unload()
    }
}

/// An encoder whose embeddings carry an image's first three bytes as its colour, in every row.
final class ScriptedImageEncoder: RKLLMImageEncoding {
    let configuration: RKLLMVisionConfiguration
    let width = 392
    let height = 392
    let imageTokens: Int
    /// The simulator's default embedding size.
    static let embeddingSize = 1536

    init(configuration: RKLLMVisionConfiguration) {
        self.configuration = configuration
        imageTokens = configuration.imageTokens ?? 196
    }

    func embeddings(of images: [ImageData]) throws(InferenceError) -> [Float] {
        var all: [Float] = []
        for (index, image) in images.enumerated() {
            guard image.bytes.count >= 3 else { throw .invalidRequest("image \(index + 1) cannot be read: empty") }
            var row = [Float](repeating: 0, count: Self.embeddingSize)
            for channel in 0..<3 { row[channel] = Float(image.bytes[channel]) / 255 }
            for _ in 0..<imageTokens { all += row }
        }
        return all
    }
}

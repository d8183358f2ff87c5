import Foundation
import InferenceCore
import InferenceTypes
import ModelStore
import RKLLMEngine
import TestSupport
import Testing

/// Real images through the whole path: ImageCodec decodes and prepares them, the RKNN simulator encodes them
/// (`make sim` builds it at .build/rknn-sim/librknnrt.so), the RKLLM simulator reports what reached it. Needs
/// the work of helpers "image" (the decoder) and "rknn" (the RKNN runtime and its simulator) merged; until then
/// these tests fail at the load or at the decoding.
@Suite(.serialized) struct RKLLMVisionEndToEndTests {
    static let rknnLibrary = URL(fileURLWithPath: Simulator.libraryPath("1.3")).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("rknn-sim/librknnrt.so").path

    /// A red PNG of 37 x 23 pixels (odd sizes on purpose).
    static let redPNG = ImageData(
        base64:
            "iVBORw0KGgoAAAANSUhEUgAAACUAAAAXCAIAAAADThHyAAAAJklEQVR4nGP8z0BXwERf60btG7Vv1L5R+0btG7Vv1L5R+0btIwAA9wcBLbVhCqkAAAAASUVORK5CYII="
    )
    /// A blue JPEG of 29 x 41 pixels, 4:4:4, quality 95 (it decodes to 0, 0, 254).
    static let blueJPEG = ImageData(
        base64:
            "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAIBAQEBAQIBAQECAgICAgQDAgICAgUEBAMEBgUGBgYFBgYGBwkIBgcJBwYGCAsICQoKCgoKBggLDAsKDAkKCgr/2wBDAQICAgICAgUDAwUKBwYHCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgr/wAARCAApAB0DAREAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwD8c6/38PysKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgAoAKACgD//2Q=="
    )

    /// The simulated Qwen2-VL pair (as scripts/make-sim-vision-model.sh writes it), loaded; the sidecar stretches
    /// images to the encoder's square so that a whole image's colour is every region's.
    func load(_ layout: String) async throws -> any Engine {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(
            in: directory, fileName: "Qwen2-VL-2B-Instruct-w8a8-rk3588.rkllm",
            sidecar: #"{"vision": {"keep_aspect_ratio": false}}"#)
        let encoder =
            #"RKNNSIM1{"width":392,"height":392,"tokens":196,"embedding_size":1536,"target_platform":"rk3588"}"#
        try Data(encoder.utf8).write(to: URL(fileURLWithPath: "\(directory)/Qwen2-VL-2B-Instruct-vision-rk3588.rknn"))
        let loader = RKLLMEngineLoader(
            options: .init(libraryPath: Simulator.libraryPath(layout), rknnLibraryPath: Self.rknnLibrary))
        return try await loader.load(try #require(ModelRegistry(directory: directory).models().first))
    }

    /// The colours of a `[[vision]]` answer, as red, green, blue triples.
    func colours(_ answer: String) -> [[Int]] {
        guard let list = answer.split(separator: " ").last(where: { $0.hasPrefix("colours=") }) else { return [] }
        return list.dropFirst("colours=".count).split(separator: ",").map { hex in
            let digits = Array(hex.dropFirst())
            return stride(from: 0, to: 6, by: 2).map { Int(String(digits[$0..<$0 + 2]), radix: 16) ?? -1 }
        }
    }

    func answer(_ engine: any Engine, images: [ImageData?]) async throws -> String {
        var message = ChatMessage(role: .user, content: "Which colours? [[vision]]")
        message.images = images.compactMap { $0 }
        var request = EngineRequest(input: .chat([message]), maxTokens: 200)
        request.images = message.images
        var text = ""
        for try await event in engine.generate(request) {
            if case .text(let piece) = event { text += piece }
        }
        return text
    }

    @Test(arguments: Simulator.layouts)
    func aRedPNGAndABlueJPEGOfOddSizesReportTheirColours(layout: String) async throws {
        let engine = try await load(layout)
        #expect(engine.info.vision)
        let text = try await answer(engine, images: [Self.redPNG, Self.blueJPEG])
        #expect(text.hasPrefix("vision images=2 image_tokens=196 start=<|vision_start|> end=<|vision_end|> colours="))
        let found = colours(text)
        #expect(found.first == [255, 0, 0])
        #expect(found.count == 2 && zip(found[1], [0, 0, 255]).allSatisfy { abs($0 - $1) <= 3 })
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func bytesThatAreNoImageAreAnInvalidRequest(layout: String) async throws {
        let engine = try await load(layout)
        await #expect {
            _ = try await answer(engine, images: [Self.redPNG, ImageData(bytes: Array("not an image".utf8))])
        } throws: { error in
            guard case .invalidRequest(let reason) = error as? InferenceError else { return false }
            return reason.hasPrefix("image 2 cannot be read")
        }
        await engine.unload()
    }
}

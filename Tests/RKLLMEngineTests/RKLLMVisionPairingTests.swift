import Foundation
import InferenceCore
import InferenceTypes
import ModelStore
import TestSupport
import Testing

@testable import RKLLMEngine

/// Which `.rknn` encoder an `.rkllm` model is paired with, the tags its family gets, and what the loader reports.
@Suite struct RKLLMVisionPairingTests {
    @Test(arguments: [
        // Rockchip's demo names, Hugging Face style names, a publisher prefix.
        ("qwen2_vl_2b_w8a8_rk3588.rkllm", "qwen2_vl_2b_vision_rk3588.rknn"),
        ("Qwen2-VL-2B-Instruct-w8a8-rk3588.rkllm", "Qwen2-VL-2B-Instruct-vision-rk3588.rknn"),
        ("Qwen_Qwen2.5-VL-3B-Instruct-w8a8-opt1-rk3588.rkllm", "Qwen2.5-VL-3B-Instruct-vision-rk3588.rknn"),
        ("MiniCPM-V-2_6-w8a8-rk3588.rkllm", "MiniCPM-V-2_6_vision_rk3588.rknn"),
        ("internvl2-1b_w8a8_rk3576.rkllm", "internvl2-1b_vision_fp16_rk3576.rknn"),
        ("smolvlm-256m-instruct-w8a8-rk3588.rkllm", "smolvlm-256m-instruct-visual-encoder.rknn"),
    ])
    func theCommonNamesArePairedWithoutASidecar(model: String, encoder: String) {
        let entries = [model, encoder, "other-model-vision-rk3588.rknn", "notes.txt"]
        #expect(RKLLMVisionPairing.encoderFileName(forModel: model, among: entries) == encoder)
    }

    @Test func anEncoderOfAnotherSizeOrFamilyIsNotPaired() {
        let entries = ["qwen2_vl_2b_w8a8_rk3588.rkllm", "qwen2_vl_7b_vision_rk3588.rknn", "yolo_rk3588.rknn"]
        #expect(RKLLMVisionPairing.encoderFileName(forModel: entries[0], among: entries) == nil)
        let textOnly = ["Qwen_Qwen3-0.6B-w8a8-rk3588.rkllm", "Qwen2-VL-2B-Instruct-vision-rk3588.rknn"]
        #expect(RKLLMVisionPairing.encoderFileName(forModel: textOnly[0], among: textOnly + ["x.rkllm"]) == nil)
    }

    @Test func aLoneModelAndALoneEncoderArePairedWhateverTheirNames() {
        let entries = ["qwen.rkllm", "vision_transformer.rknn"]
        #expect(RKLLMVisionPairing.encoderFileName(forModel: "qwen.rkllm", among: entries) == "vision_transformer.rknn")
        // A file without a vision word is no encoder.
        #expect(RKLLMVisionPairing.encoderFileName(forModel: "qwen.rkllm", among: ["qwen.rkllm", "yolo.rknn"]) == nil)
    }

    @Test(arguments: [
        ("qwen2-vl-2b-instruct", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>"),
        ("qwen2.5-vl-3b-instruct", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>"),
        ("qwen3-vl-2b", "<|vision_start|>", "<|vision_end|>", "<|image_pad|>"),
        ("minicpm-v-2-6", "<image>", "</image>", "<unk>"),
        ("smolvlm-256m", "<fake_token_around_image><global-img>", "<fake_token_around_image>", "<image>"),
        ("internvl2-1b", "<img>", "</img>", "<IMG_CONTEXT>"),
    ])
    func eachFamilyGetsItsImageTags(name: String, start: String, end: String, content: String) {
        let tags = RKLLMVisionConfiguration.tags(forModelNamed: name)
        #expect(tags == RKLLMVisionConfiguration.Tags(start: start, end: end, content: content))
    }

    private func descriptor(_ directory: String) throws -> ModelDescriptor {
        try #require(ModelRegistry(directory: directory).models().first)
    }

    @Test func thePreviewReportsVisionBeforeALoad() throws {
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory, fileName: "Qwen2-VL-2B-Instruct-w8a8-rk3588.rkllm")
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath("1.3")))
        #expect(loader.preview(try descriptor(directory))?.vision == false)
        try Data("RKNNSIM1{}".utf8).write(
            to: URL(fileURLWithPath: "\(directory)/Qwen2-VL-2B-Instruct-vision-rk3588.rknn"))
        #expect(loader.preview(try descriptor(directory))?.vision == true)
    }

    @Test func aSidecarNamesTheEncoderAndOverridesTheFamilysTags() throws {
        let directory = try Simulator.makeDirectory()
        let path = try Simulator.writeModel(
            in: directory, fileName: "my-model-w8a8-rk3588.rkllm",
            sidecar:
                #"{"vision": {"encoder": "enc.rknn", "image_width": 448, "image_end": "<|END|>", "keep_aspect_ratio": false}}"#
        )
        let sidecar = try RKLLMSidecar.load(forModelAt: path)
        let vision = try #require(
            RKLLMVisionPairing.configuration(modelPath: path, modelName: "qwen2-vl", sidecar: sidecar?.vision))
        #expect(vision.encoderPath == "\(directory)/enc.rknn")
        #expect(vision.width == 448 && vision.height == nil && !vision.keepsAspectRatio)
        #expect(vision.tags == .init(start: "<|vision_start|>", end: "<|END|>", content: "<|image_pad|>"))
        // The preview reports vision from the sidecar alone.
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath("1.3")))
        #expect(loader.preview(try descriptor(directory))?.vision == true)
    }

    @Test(arguments: [
        (#"{"vision": {"encoder": "../enc.rknn"}}"#, "vision.encoder"),
        (#"{"vision": {"image_tokens": 0}}"#, "vision.image_tokens"),
        (#"{"vision": {"image_width": 100000}}"#, "vision.image_width"),
        (#"{"vision": {"mean": [0.5, 0.5], "std": [0.5, 0.5, 0.5]}}"#, "vision.mean"),
        (#"{"vision": {"image_start": 3}}"#, "vision.image_start"),
    ])
    func aBadVisionObjectIsAnErrorNamingTheKey(sidecar: String, key: String) throws {
        let directory = try Simulator.makeDirectory()
        let path = try Simulator.writeModel(in: directory, fileName: "m-w8a8-rk3588.rkllm", sidecar: sidecar)
        #expect {
            _ = try RKLLMSidecar.load(forModelAt: path)
        } throws: { error in
            "\(error)".contains(key)
        }
    }

    @Test(arguments: Simulator.layouts)
    func anEncoderTheSidecarNamesThatIsMissingFailsTheLoad(layout: String) async throws {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(
            in: directory, fileName: "Qwen2-VL-2B-Instruct-w8a8-rk3588.rkllm",
            sidecar: #"{"vision": {"encoder": "missing-vision.rknn"}}"#)
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout)))
        await #expect {
            _ = try await loader.load(try descriptor(directory))
        } throws: { error in
            guard case .modelLoadFailed(_, let reason) = error as? InferenceError else { return false }
            return reason.contains("missing-vision.rknn")
        }
    }

    @Test(arguments: Simulator.layouts)
    func anEncoderTheRuntimeRefusesFailsTheLoadWithItsReason(layout: String) async throws {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory, fileName: "Qwen2-VL-2B-Instruct-w8a8-rk3588.rkllm")
        try Data("RKNNSIM1{}".utf8).write(
            to: URL(fileURLWithPath: "\(directory)/Qwen2-VL-2B-Instruct-vision-rk3588.rknn"))
        var loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout)))
        loader.makeImageEncoder = { _, _, name throws(InferenceError) in
            throw .modelLoadFailed(model: name, reason: "E RKNN: invalid model")
        }
        await #expect {
            _ = try await loader.load(try descriptor(directory))
        } throws: { error in
            "\(error)".contains("E RKNN: invalid model")
        }
    }
}

import Foundation
import InferenceCore
import InferenceTypes
import ModelStore
import RKLLMEngine
import TestSupport
import Testing

/// Each way a model can fail to load names its cause, in the runtime's own words where it gives them.
@Suite(.serialized) struct RKLLMLoadErrorTests {
    private func loadError(
        _ layout: String = "1.3", environment: [String: String] = [:], writeFile: (String) throws -> Void,
        library: String? = nil
    ) async throws -> String {
        Simulator.prepare()
        for (key, value) in environment { setenv(key, value, 1) }
        defer { for key in environment.keys { unsetenv(key) } }
        let directory = try Simulator.makeDirectory()
        try writeFile(directory)
        let loader = RKLLMEngineLoader(options: .init(libraryPath: library ?? Simulator.libraryPath(layout)))
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        do {
            let engine = try await loader.load(descriptor)
            await engine.unload()
        } catch {
            return "\(error)"
        }
        Issue.record("the model loaded")
        return ""
    }

    private func write(_ content: String, name: String = "qwen3-0.6b-w8a8-rk3588.rkllm") -> (String) throws -> Void {
        { try Data(content.utf8).write(to: URL(fileURLWithPath: "\($0)/\(name)")) }
    }

    @Test(arguments: Simulator.layouts)
    func anEmptyFile(layout: String) async throws {
        let message = try await loadError(layout, writeFile: write(""))
        #expect(message.contains("empty"))
    }

    @Test(arguments: Simulator.layouts)
    func aTruncatedOrForeignFile(layout: String) async throws {
        let truncated = try await loadError(layout, writeFile: write(#"RKLLMSIM1{"target_platform":"rk35"#))
        #expect(truncated.contains("invalid rkllm model"), "\(truncated)")
        let foreign = try await loadError(layout, writeFile: write("GGUF\u{3}\0\0\0 not an rkllm file"))
        #expect(foreign.contains("invalid rkllm model"), "\(foreign)")
    }

    @Test(arguments: Simulator.layouts)
    func aModelConvertedForAnotherPlatform(layout: String) async throws {
        let message = try await loadError(layout) { try Simulator.writeModel(in: $0, platform: "rk3576") }
        #expect(message.contains("target_platform") && message.contains("rk3576"), "\(message)")
    }

    @Test(arguments: Simulator.layouts)
    func aContextLargerThanTheModelAllows(layout: String) async throws {
        let message = try await loadError(layout) {
            try Simulator.writeModel(in: $0, contextLimit: 4096, sidecar: #"{"context_length": 16384}"#)
        }
        #expect(message.contains("max_context") && message.contains("16384"), "\(message)")
    }

    @Test(arguments: Simulator.layouts)
    func aMissingNPUDriver(layout: String) async throws {
        let message = try await loadError(layout, environment: ["RKLLM_SIM_NO_DRIVER": "1"]) {
            try Simulator.writeModel(in: $0)
        }
        #expect(message.contains("NPU driver"), "\(message)")
    }

    @Test func aMissingRuntimeLibrary() async throws {
        let message = try await loadError(
            writeFile: { try Simulator.writeModel(in: $0) }, library: "/opt/none/librkllmrt.so")
        #expect(message.contains("/opt/none/librkllmrt.so"))
    }

    @Test func anUnreadableSidecar() async throws {
        let message = try await loadError { try Simulator.writeModel(in: $0, sidecar: "{ not json") }
        #expect(message.contains(".rkllm.json"))
    }
}

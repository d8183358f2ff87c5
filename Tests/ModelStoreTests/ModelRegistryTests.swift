import EngineSupport
import Foundation
import InferenceTypes
import ModelStore
import Testing

@Suite struct ModelRegistryTests {
    private func directory(with files: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("registry-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in files {
            _ = FileManager.default.createFile(atPath: "\(path)/\(file)", contents: Data([1, 2, 3]))
        }
        return path
    }

    @Test func friendlyNamesDropTheQuantizationLabel() {
        #expect(ModelNaming.friendlyName(forGGUF: "SmolLM2-135M-Instruct.Q4_1.gguf") == "smollm2-135m-instruct")
        #expect(ModelNaming.friendlyName(forGGUF: "qwen2.5-0.5b-instruct-q4_k_m.gguf") == "qwen2.5-0.5b-instruct")
        #expect(ModelNaming.friendlyName(forGGUF: "Llama-3.2-1B-Instruct-f16.gguf") == "llama-3.2-1b-instruct")
        #expect(ModelNaming.friendlyName(forGGUF: "phi-2.gguf") == "phi-2")
        #expect(ModelNaming.quantization(forGGUF: "SmolLM2-135M-Instruct.Q4_1.gguf") == "Q4_1")
    }

    @Test func listsModelFilesOnly() throws {
        let path = try directory(with: ["b.Q8_0.gguf", "A.gguf", "notes.txt", ".hidden.gguf", "x.gguf.partial"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let models = ModelRegistry(directory: path).models()
        #expect(models.map(\.id) == ["a", "b"])
        #expect(models.allSatisfy { $0.format == .gguf && $0.sizeBytes == 3 })
    }

    @Test func loraAdapterFilesAndFoldersAreNotListedAsModels() throws {
        let path = try directory(with: [
            "Qwen3-0.6B-w8a8-rk3588.rkllm", "Qwen3-0.6B-w8a8-rk3588.lora.pirate.rkllm", "x.lora.rkllm",
        ])
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.createDirectory(
            atPath: "\(path)/Qwen3-0.6B-w8a8-rk3588.lora", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(
            atPath: "\(path)/Qwen3-0.6B-w8a8-rk3588.lora/terse.rkllm", contents: Data([1, 2, 3]))
        let files = ModelRegistry(directory: path).models().map(\.fileName)
        // A file merely ending in `.lora.rkllm` names no adapter: it is a model.
        #expect(files == ["Qwen3-0.6B-w8a8-rk3588.rkllm", "x.lora.rkllm"])
    }

    @Test func resolvesByFriendlyNameFileNameOrStem() throws {
        let path = try directory(with: ["SmolLM2-135M-Instruct.Q4_1.gguf"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = ModelRegistry(directory: path)
        for name in ["smollm2-135m-instruct", "SmolLM2-135M-Instruct.Q4_1.gguf", "SmolLM2-135M-Instruct.Q4_1"] {
            #expect(registry.resolve(name)?.fileName == "SmolLM2-135M-Instruct.Q4_1.gguf", "\(name)")
        }
        #expect(registry.resolve("smollm2") == nil)
    }

    @Test func twoFilesWithOneFriendlyNameStayReachable() throws {
        let path = try directory(with: ["tiny.Q4_0.gguf", "tiny.Q8_0.gguf"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = ModelRegistry(directory: path)
        #expect(registry.models().map(\.id) == ["tiny", "tiny.q8_0"])
        #expect(registry.resolve("tiny")?.fileName == "tiny.Q4_0.gguf")
        #expect(registry.resolve("tiny.q8_0")?.fileName == "tiny.Q8_0.gguf")
    }

    @Test func seesFilesThatAppearAndDisappear() throws {
        let path = try directory(with: [])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = ModelRegistry(directory: path)
        #expect(registry.models().isEmpty)
        _ = FileManager.default.createFile(atPath: "\(path)/new.gguf", contents: Data([0]))
        #expect(registry.models().map(\.id) == ["new"])
        try FileManager.default.removeItem(atPath: "\(path)/new.gguf")
        #expect(registry.models().isEmpty)
    }

    @Test func aLinkedModelHasTheSizeOfItsFile() throws {
        let path = try directory(with: [])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("target-\(UUID().uuidString).gguf")
            .path
        try Data(repeating: 7, count: 1234).write(to: URL(fileURLWithPath: target))
        defer { try? FileManager.default.removeItem(atPath: target) }
        try FileManager.default.createSymbolicLink(atPath: "\(path)/linked.gguf", withDestinationPath: target)
        #expect(ModelRegistry(directory: path).models().first?.sizeBytes == 1234)
    }

    @Test func aMissingDirectoryHasNoModels() {
        #expect(ModelRegistry(directory: "/nonexistent/\(UUID().uuidString)").models().isEmpty)
    }
}

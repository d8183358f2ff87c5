import Foundation
import InferenceTypes
import ModelStore
import Testing

/// Every dialect accepts every name any dialect lists: Open WebUI sends `/api/tags`'s `name:latest` to `/v1`.
@Suite struct ModelNameLookupTests {
    private func registry(with files: [String]) throws -> (ModelRegistry, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("names-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in files {
            _ = FileManager.default.createFile(atPath: "\(path)/\(file)", contents: Data([1, 2, 3]))
        }
        return (ModelRegistry(directory: path), path)
    }

    @Test("Ollama's :latest tag, the friendly name, the file name and the stem, in any case")
    func everyListedName() throws {
        let (registry, path) = try registry(with: ["SmolLM2-135M-Instruct.Q4_1.gguf"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let names = [
            "smollm2-135m-instruct:latest", "SmolLM2-135M-Instruct:LATEST", "smollm2-135m-instruct",
            "SMOLLM2-135M-INSTRUCT", "SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2-135m-instruct.q4_1.gguf:latest",
            "SmolLM2-135M-Instruct.Q4_1", "smollm2-135m-instruct.q4_1:latest",
        ]
        for name in names {
            #expect(try registry.find(name).fileName == "SmolLM2-135M-Instruct.Q4_1.gguf", "\(name)")
        }
    }

    @Test("another tag, or a tag alone, is not a name of the model")
    func otherTagsAreNotFound() throws {
        let (registry, path) = try registry(with: ["SmolLM2-135M-Instruct.Q4_1.gguf"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        for name in ["smollm2-135m-instruct:7b", ":latest", "smollm2:latest"] {
            #expect(throws: InferenceError.modelNotFound(name)) { try registry.find(name) }
        }
    }

    @Test("an RKLLM model answers to its friendly name with :latest too")
    func rkllmLatest() throws {
        let file = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"
        let (registry, path) = try registry(with: [file])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let id = try #require(registry.models().first?.id)
        #expect(registry.resolve(id + ":latest")?.fileName == file)
        #expect(registry.resolve(id.uppercased())?.fileName == file)
    }
}

import Foundation
import InferenceCore
import InferenceTypes
import Testing

/// The files of named prompt caches: where they live, which names they may have, and what is listed.
@Suite struct PromptCacheStoreTests {
    static func model(_ id: String = "alpha", in directory: String) -> ModelDescriptor {
        ModelDescriptor(
            id: id, path: "\(directory)/\(id).gguf", format: .gguf, sizeBytes: 10, modifiedAt: Date())
    }

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("caches-\(UUID())").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test(arguments: ["system", "a", "Qwen3.system-v2_final", String(repeating: "z", count: 64)])
    func plainNamesAreTaken(name: String) throws {
        try PromptCacheStore.check(name: name)
    }

    @Test(arguments: ["", ".", "..", "../x", "a/b", "_x", "a b", "é", "a\u{0}", String(repeating: "z", count: 65)])
    func otherNamesAreRefused(name: String) {
        #expect(throws: InferenceError.self) { try PromptCacheStore.check(name: name) }
    }

    @Test func cachesLiveUnderTheModelsDirectorysCacheFolderByModelID() throws {
        let store = PromptCacheStore(modelsDirectory: "/models")
        #expect(store.root == "/models/cache")
        let model = ModelDescriptor(
            id: "hf.co/org/model:Q4", path: "/models/m.gguf", format: .gguf, sizeBytes: 1, modifiedAt: Date())
        #expect(store.statePath("system", of: model) == "/models/cache/hf.co_org_model_Q4/system.bin")
    }

    @Test func aDescriptionWithoutItsStateOrThatCannotBeReadIsNotListed() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = PromptCacheStore(modelsDirectory: directory)
        let model = Self.model(in: directory)
        let folder = "\(directory)/cache/alpha"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let entry = PromptCacheEntry(
            name: "good", model: "alpha", modelFile: "alpha.gguf", modelBytes: 10, runtimeVersion: "r", prompt: "p",
            text: "t", tokens: 1, bytes: 1, created: 1)
        try JSONEncoder().encode(entry).write(to: URL(fileURLWithPath: "\(folder)/good.json"))
        try Data("s".utf8).write(to: URL(fileURLWithPath: "\(folder)/good.bin"))
        var stateless = entry
        stateless.name = "stateless"
        try JSONEncoder().encode(stateless).write(to: URL(fileURLWithPath: "\(folder)/stateless.json"))
        try Data("{".utf8).write(to: URL(fileURLWithPath: "\(folder)/broken.json"))
        try Data("s".utf8).write(to: URL(fileURLWithPath: "\(folder)/broken.bin"))
        #expect(store.entries(of: model) == [entry])
        #expect(throws: InferenceError.promptCacheNotFound(name: "broken", model: "alpha")) {
            try store.entry("broken", of: model)
        }
        #expect(store.entries(of: Self.model("beta", in: directory)).isEmpty)
        try store.remove("good", of: model)
        #expect(store.entries(of: model).isEmpty)
        #expect(throws: InferenceError.promptCacheNotFound(name: "good", model: "alpha")) {
            try store.remove("good", of: model)
        }
    }
}

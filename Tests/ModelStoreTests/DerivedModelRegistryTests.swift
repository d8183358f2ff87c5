import EngineSupport
import Foundation
import InferenceTypes
import ModelStore
import Testing

/// Derived models (`/api/create` from another model) as the models directory holds them: a small definition
/// file over the base's file, listed under its own name, never a copy of the weights.
@Suite struct DerivedModelRegistryTests {
    private func directory(with files: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("derived-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for file in files {
            _ = FileManager.default.createFile(atPath: "\(path)/\(file)", contents: Data([1, 2, 3]))
        }
        return path
    }

    @Test func aDefinitionIsListedUnderItsNameOverItsBasesFile() throws {
        let path = try directory(with: ["base.Q4_0.gguf"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = ModelRegistry(directory: path)
        var parameters = DerivedModel.Parameters()
        parameters.temperature = 0.5
        let created = try registry.saveDefinition(
            DerivedModel(name: "helper", from: "base.Q4_0.gguf", system: "Be kind.", parameters: parameters))
        #expect(created.id == "helper" && created.path == path + "/base.Q4_0.gguf" && created.sizeBytes == 3)
        #expect(registry.models().map(\.id) == ["base", "helper"])
        let resolved = try #require(registry.resolve("HELPER"))
        #expect(registry.derivedDefinition(of: resolved)?.system == "Be kind.")
        #expect(registry.derivedDefinition(of: resolved)?.parameters.temperature == 0.5)
        #expect(registry.isDerivedOnly(resolved))
        let base = try #require(registry.resolve("base"))
        #expect(registry.derivedDefinition(of: base) == nil && !registry.isDerivedOnly(base))
        // The base still answers to its file name; the definition does not take it.
        #expect(registry.resolve("base.Q4_0.gguf")?.id == "base")

        let copy = try registry.copy(resolved, to: "helper2")
        #expect(copy.id == "helper2" && copy.path == base.path)
        try registry.delete(resolved)
        #expect(registry.models().map(\.id) == ["base", "helper2"])
        #expect(FileManager.default.fileExists(atPath: base.path))
    }

    @Test func definitionsWithoutTheirBaseOrUnderATakenNameAreNotListed() throws {
        let path = try directory(with: ["base.gguf", "other.gguf"])
        defer { try? FileManager.default.removeItem(atPath: path) }
        let registry = ModelRegistry(directory: path)
        _ = try registry.saveDefinition(DerivedModel(name: "orphan", from: "base.gguf"))
        try FileManager.default.removeItem(atPath: path + "/base.gguf")
        try Data(#"{"name":"other","from":"base.gguf","parameters":{},"messages":[]}"#.utf8)
            .write(to: URL(fileURLWithPath: path + "/other.derived.json"))
        try Data("not json".utf8).write(to: URL(fileURLWithPath: path + "/broken.derived.json"))
        #expect(registry.models().map(\.id) == ["other"])
        #expect(throws: InferenceError.self) {
            try registry.saveDefinition(DerivedModel(name: "../x", from: "other.gguf"))
        }
    }

    @Test func blobDigestsAreCheckedBeforeAnyPathIsMade() throws {
        let hex = String(repeating: "ab", count: 32)
        #expect(try BlobStore.hex(of: "sha256:\(hex)") == hex)
        #expect(try BlobStore.hex(of: "sha256-\(hex.uppercased())") == hex)
        for bad in ["sha256:\(hex)0", "md5:\(hex)", "sha256:../../\(hex.dropFirst(6))", "", "sha256:"] {
            #expect(throws: InferenceError.self, "\(bad)") { try BlobStore.hex(of: bad) }
        }
    }
}

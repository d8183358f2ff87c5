import EngineSupport
import Foundation
import GGUF
import InferenceTypes
import TestSupport
import Testing

@Suite struct GGUFMetadataTests {
    @Test func readsTheRealModelsHeaderWithoutLoadingIt() throws {
        let metadata = try GGUFMetadata(path: TestModel.modelPath)
        #expect(metadata.architecture == "llama")
        #expect(metadata.contextLength == 8192)
        #expect(metadata.embeddingLength == 576)
        #expect(metadata.chatTemplate?.contains("<|im_start|>") == true)
        #expect(metadata.string("general.size_label") == "135M")
    }

    @Test func refusesAFileThatIsNotGGUF() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("not-\(UUID().uuidString).gguf").path
        try Data("RKLLMSIM1{}".utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ModelFileError.self) { try GGUFMetadata(path: path) }
    }

    @Test func refusesATruncatedHeader() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cut-\(UUID().uuidString).gguf").path
        let prefix = try FileHandle(forReadingFrom: URL(fileURLWithPath: TestModel.modelPath)).read(upToCount: 4096)
        try #require(prefix).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(throws: ModelFileError.self) { try GGUFMetadata(path: path) }
    }
}

import EngineSupport
import Foundation
import InferenceTypes
import LlamaEngine
import TestSupport
import Testing

/// llama.cpp is never handed a file the server's own reader refuses: not a FIFO (it would block), not a header
/// built to crash a reader.
@Suite struct LlamaModelFileTests {
    private func loadError(_ prepare: (String) throws -> Void) async throws -> (message: String, inTime: Bool) {
        let directory = try HostileFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try prepare(directory + "/bad.gguf")
        let descriptor = ModelDescriptor(
            id: "bad", path: directory + "/bad.gguf", format: .gguf, sizeBytes: 0, modifiedAt: Date())
        let loader = LlamaEngineLoader(options: .init(libraryPath: TestModel.libraryPath))
        let outcome = await HostileFiles.finishes(within: 1, releasing: [descriptor.path]) { () -> String in
            do {
                _ = try await loader.load(descriptor)
                return "loaded"
            } catch {
                return "\(error)"
            }
        }
        #expect(!outcome.value.contains(directory), "\(outcome.value)")
        return (outcome.value, outcome.inTime)
    }

    @Test func aFIFOIsNotHandedToLlamaCpp() async throws {
        let error = try await loadError { try HostileFiles.makeFIFO(at: $0) }
        #expect(error.inTime)
        #expect(error.message == "failed to load model 'bad': bad.gguf: not a regular file (it is a FIFO)")
    }

    @Test func aHostileHeaderIsRefusedBeforeLlamaCppReadsIt() async throws {
        let error = try await loadError { path in
            var builder = GGUFBuilder(keyCount: 1)
            builder.nestedArrays("evil", depth: 200_000)
            try builder.write(to: path)
        }
        #expect(error.message == "failed to load model 'bad': bad.gguf: GGUF header array nested deeper than 64 levels")
    }
}

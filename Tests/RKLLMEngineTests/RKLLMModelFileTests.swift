import Foundation
import InferenceCore
import InferenceTypes
import RKLLMEngine
import TestSupport
import Testing

/// `.rkllm` files and their sidecars are untrusted: what is not a small regular file of JSON is a load error
/// that names the file in plain words, and nothing blocks on a FIFO.
@Suite(.serialized) struct RKLLMModelFileTests {
    private static let fileName = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"

    /// The load error of the model `prepare` leaves in a fresh directory, and whether it came within 1 s.
    private func loadError(_ prepare: (String) throws -> Void) async throws -> (message: String, inTime: Bool) {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try prepare(directory)
        let path = "\(directory)/\(Self.fileName)"
        let descriptor = ModelDescriptor(
            id: "qwen3-0.6b", path: path, format: .rkllm, sizeBytes: 100, modifiedAt: Date())
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath("1.3")))
        let outcome = await HostileFiles.finishes(within: 1, releasing: [path, path + ".json"]) { () -> String in
            do {
                let engine = try await loader.load(descriptor)
                await engine.unload()
                return "loaded"
            } catch {
                return "\(error)"
            }
        }
        #expect(!outcome.value.contains(directory), "\(outcome.value)")
        return (outcome.value, outcome.inTime)
    }

    private func model(sidecar: String? = nil) -> (String) throws -> Void {
        { try Simulator.writeModel(in: $0, fileName: Self.fileName, sidecar: sidecar) }
    }

    @Test func aFIFONamedLikeAModelIsNotOpened() async throws {
        let error = try await loadError { try HostileFiles.makeFIFO(at: "\($0)/\(Self.fileName)") }
        #expect(error.inTime)
        #expect(error.message.contains("\(Self.fileName): not a regular file (it is a FIFO)"), "\(error.message)")
    }

    @Test func aSidecarThatIsAFIFOIsNotOpened() async throws {
        let error = try await loadError {
            try self.model()($0)
            try HostileFiles.makeFIFO(at: "\($0)/\(Self.fileName).json")
        }
        #expect(error.inTime)
        #expect(error.message.contains("\(Self.fileName).json: not a regular file (it is a FIFO)"), "\(error.message)")
    }

    @Test func aHugeSidecarIsRefusedUnread() async throws {
        let error = try await loadError {
            try self.model()($0)
            try HostileFiles.makeSparseFile(at: "\($0)/\(Self.fileName).json", size: 1 << 30)
        }
        #expect(error.message.contains(".json: 1 GiB is larger than the 4 MiB allowed"), "\(error.message)")
    }

    @Test func aDeeplyNestedSidecarIsInvalidJSON() async throws {
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try await loadError(model(sidecar: nested))
        #expect(error.message.contains(".json: not valid JSON: nested too deeply"), "\(error.message)")
    }

    @Test func aSidecarKeyOfTheWrongTypeIsNamedInPlainWords() async throws {
        let error = try await loadError(model(sidecar: #"{"sampling": {"top_k": "many"}}"#))
        #expect(error.message.contains(#".json: "sampling.top_k" must be an integer"#), "\(error.message)")
        #expect(!error.message.contains("DecodingError") && !error.message.contains("Swift."))
    }
}

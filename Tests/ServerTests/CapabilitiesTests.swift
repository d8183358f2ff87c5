import Foundation
import InferenceCore
import InferenceTypes
import Logging
import ModelStore
import TestSupport
import Testing

@testable import Server

/// What `/api/show` and `/api/tags` list as a model's capabilities, from its template and engine: read from
/// the file's header and sidecar without loading it, the same once it is loaded.
@Suite("Model capabilities, honestly", .serialized)
struct CapabilitiesTests {
    /// The core of a server over `directory`, models in the server process.
    private func service(directory: String) throws -> InferenceService {
        let configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, modelsDirectory: directory, llamaLibraryPath: TestModel.libraryPath,
            rkllmLibraryPath: Simulator.libraryPath("1.3"), isolation: .none)
        let engines = try EngineSetup(configuration: configuration, logLevel: .warning, memoryBudgetBytes: 4 << 30)
        return InferenceService(
            registry: ModelRegistry(directory: directory),
            manager: ModelManager(loaders: engines.managed, logger: Logger(label: "test")))
    }

    private func header(_ architecture: String, template: String?, extra: (inout GGUFBuilder) -> Int = { _ in 0 })
        -> GGUFBuilder
    {
        var body = GGUFBuilder(keyCount: 0)
        body.bytes = []
        body.stringEntry("general.architecture", architecture)
        var count = 1
        if let template {
            body.stringEntry("tokenizer.chat_template", template)
            count += 1
        }
        count += extra(&body)
        var builder = GGUFBuilder(keyCount: UInt64(count))
        builder.bytes += body.bytes
        return builder
    }

    private func names(_ service: InferenceService, _ name: String) async throws -> [String] {
        await service.capabilities(of: try service.model(named: name)).names
    }

    @Test("GGUF headers decide: a chat template takes tools, <think> thinks, an embedding model only embeds")
    func fromGGUFHeaders() async throws {
        let directory = try Simulator.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try header("llama", template: "{% for m in messages %}{{ m.content }}{% endfor %}").write(
            to: "\(directory)/chat.gguf")
        try header("qwen3", template: "{{ messages }}<think>").write(to: "\(directory)/thinker.gguf")
        try header("llama", template: nil).write(to: "\(directory)/plain.gguf")
        try header("bert", template: nil).write(to: "\(directory)/encoder.gguf")
        try header("qwen3", template: "{{ messages }}") { builder in
            builder.uint32Entry("qwen3.pooling_type", 3)
            return 1
        }.write(to: "\(directory)/pooled.gguf")
        try header("llama", template: nil) { builder in
            builder.string("llama.attention.causal")
            builder.uint32(7)
            builder.bytes.append(0)
            return 1
        }.write(to: "\(directory)/bidirectional.gguf")
        let service = try service(directory: directory)
        #expect(try await names(service, "chat") == ["completion", "tools"])
        #expect(try await names(service, "thinker:latest") == ["completion", "tools", "thinking"])
        #expect(try await names(service, "plain") == ["completion"])
        for name in ["encoder", "pooled", "bidirectional"] {
            #expect(try await names(service, name) == ["embedding"], "\(name)")
        }
    }

    @Test("a sidecar's chat template counts, and a new sidecar is read again")
    func sidecarTemplate() async throws {
        let directory = try Simulator.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try header("llama", template: nil).write(to: "\(directory)/plain.gguf")
        let service = try service(directory: directory)
        #expect(try await names(service, "plain") == ["completion"])
        let sidecar = #"{"chat_template": "{% if enable_thinking %}x{% endif %}{{ messages }}"}"#
        try Data(sidecar.utf8).write(to: URL(fileURLWithPath: "\(directory)/plain.gguf.json"))
        #expect(try await names(service, "plain") == ["completion", "tools", "thinking"])
    }

    @Test("the simulator's qwen3 thinks and takes tools, loaded or not")
    func rkllmQwen3() async throws {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Simulator.writeModel(in: directory)
        let service = try service(directory: directory)
        let model = try #require(service.availableModels().first)
        let before = await service.capabilities(of: model)
        #expect(before.names == ["completion", "tools", "thinking"])
        try await service.load(model.id)
        #expect(await service.capabilities(of: model) == before)
        await service.unloadAll()
    }

    @Test("SmolLM2 takes tools through its template and does not think, loaded or not")
    func smolLM2() async throws {
        let directory = try TestModel.makeModelsDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = try service(directory: directory)
        let model = try service.model(named: TestModel.name)
        let before = await service.capabilities(of: model)
        #expect(before.names == ["completion", "tools"])
        try await service.load(model.id)
        #expect(await service.capabilities(of: model) == before)
        await service.unloadAll()
    }
}

import Foundation
import InferenceCore
import InferenceTypes
import Logging
import ModelStore
import RKLLMEngine
import TestSupport
import Testing

/// LoRA adapters on the simulator, in both runtime layouts: found beside the model, loaded with it, picked per
/// request, and kept apart in batches.
@Suite(.serialized) struct RKLLMLoraTests {
    private static let modelFile = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"
    private static let stem = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588"

    /// A simulator adapter file whose runs answer with `prefix` first.
    private static func writeAdapter(_ path: String, prefix: String) throws {
        try Data(#"RKLLMSIM1{"lora_prefix":"\#(prefix)"}"#.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A models directory with the model, a sidecar adapter `pirate` and the adapters `formal` (by file name)
    /// and `terse` (in the adapter folder).
    private static func directoryWithAdapters(sidecar: String? = nil) throws -> String {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(
            in: directory, fileName: modelFile,
            sidecar: sidecar ?? #"{"lora": [{"name": "pirate", "file": "pirate-adapter.rkllm", "scale": 0.5}]}"#)
        try writeAdapter("\(directory)/pirate-adapter.rkllm", prefix: "[lora:pirate] ")
        try writeAdapter("\(directory)/\(stem).lora.formal.rkllm", prefix: "Dear sir, ")
        try FileManager.default.createDirectory(atPath: "\(directory)/\(stem).lora", withIntermediateDirectories: true)
        try writeAdapter("\(directory)/\(stem).lora/terse.rkllm", prefix: "[terse] ")
        return directory
    }

    private func load(_ layout: String, directory: String, parallel: Int = 1) async throws -> any Engine {
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout), parallel: parallel))
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        return try await loader.load(descriptor)
    }

    private func chat(_ text: String, lora: String? = nil) -> EngineRequest {
        var request = EngineRequest(input: .chat([ChatMessage(role: .user, content: text)]), maxTokens: 40)
        request.lora = lora
        return request
    }

    private func answer(_ stream: AsyncThrowingStream<EngineEvent, any Error>) async throws -> String {
        var text = ""
        for try await event in stream {
            if case .text(let piece) = event { text += piece }
        }
        return text
    }

    @Test(arguments: Simulator.layouts)
    func adaptersAreFoundBySidecarAndByNameAndLoadedWithTheModel(layout: String) async throws {
        let directory = try Self.directoryWithAdapters()
        let before = Simulator.eventCount()
        let engine = try await load(layout, directory: directory)
        #expect(engine.info.loraAdapters == ["pirate", "formal", "terse"])
        let loads = Simulator.events(from: before).filter { $0.hasPrefix("load_lora") }
        #expect(
            loads == [
                "load_lora name=pirate scale=0.50", "load_lora name=formal scale=1.00",
                "load_lora name=terse scale=1.00",
            ])
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout)))
        #expect(loader.preview(descriptor)?.loraAdapters == ["pirate", "formal", "terse"])
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aRequestWithAnAdapterGetsTheAdaptersAnswerAndWithoutItTheBaseAnswer(layout: String) async throws {
        let engine = try await load(layout, directory: try Self.directoryWithAdapters())
        #expect(
            try await answer(engine.generate(chat("[[echo]]Ahoy[[/echo]]", lora: "pirate"))) == "[lora:pirate] Ahoy")
        #expect(try await answer(engine.generate(chat("[[echo]]Ahoy[[/echo]]"))) == "Ahoy")
        #expect(try await answer(engine.generate(chat("[[echo]]Hello[[/echo]]", lora: "terse"))) == "[terse] Hello")
        let before = Simulator.eventCount()
        _ = try await answer(engine.generate(chat("[[echo]]Hi[[/echo]]", lora: "formal")))
        #expect(Simulator.events(from: before).contains { $0.hasPrefix("run ") && $0.hasSuffix(" lora=formal") })
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func requestsWithDifferentAdaptersDoNotShareABatch(layout: String) async throws {
        let engine = try await load(layout, directory: try Self.directoryWithAdapters(), parallel: 4)
        let before = Simulator.eventCount()
        let requests = [
            chat("[[echo]]one[[/echo]]", lora: "pirate"), chat("[[echo]]two[[/echo]]"),
            chat("[[echo]]three[[/echo]]", lora: "pirate"), chat("[[echo]]four[[/echo]]", lora: "formal"),
        ]
        let streams = requests.map { engine.generate($0) }
        var answers: [String] = []
        for stream in streams { answers.append(try await answer(stream)) }
        #expect(answers == ["[lora:pirate] one", "two", "[lora:pirate] three", "Dear sir, four"])
        let events = Simulator.events(from: before)
        // One run for the two pirate requests, one for the base model, one for formal.
        #expect(events.filter { $0.hasPrefix("finish") }.count == 3, "\(events)")
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aSidecarAdapterWhoseFileIsMissingIsALoadErrorNamingIt(layout: String) async throws {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(
            in: directory, fileName: Self.modelFile, sidecar: #"{"lora": [{"name": "pirate", "file": "gone.rkllm"}]}"#)
        await #expect {
            _ = try await load(layout, directory: directory)
        } throws: { error in
            guard case .modelLoadFailed(_, let reason) = error as? InferenceError else { return false }
            return reason.contains("LoRA adapter \"pirate\"") && reason.contains("gone.rkllm")
        }
    }

    @Test(arguments: Simulator.layouts)
    func aSidecarAdapterWithABadNameIsALoadError(layout: String) async throws {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(
            in: directory, fileName: Self.modelFile, sidecar: #"{"lora": [{"name": "a b", "file": "x.rkllm"}]}"#)
        try Self.writeAdapter("\(directory)/x.rkllm", prefix: "x")
        await #expect {
            _ = try await load(layout, directory: directory)
        } throws: { error in
            guard case .modelLoadFailed(_, let reason) = error as? InferenceError else { return false }
            return reason.contains("\"a b\" is not valid")
        }
    }

    @Test(arguments: Simulator.layouts)
    func anAdapterTheRuntimeRefusesIsALoadErrorWithTheRuntimesMessage(layout: String) async throws {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory, fileName: Self.modelFile)
        try Data("not an adapter".utf8).write(to: URL(fileURLWithPath: "\(directory)/\(Self.stem).lora.broken.rkllm"))
        await #expect {
            _ = try await load(layout, directory: directory)
        } throws: { error in
            guard case .modelLoadFailed(_, let reason) = error as? InferenceError else { return false }
            return reason.contains("LoRA adapter 'broken'") && reason.contains("bad magic")
        }
    }

    private func service(directory: String) -> InferenceService {
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath("1.3")))
        let manager = ModelManager(
            loaders: [loader], defaultKeepAlive: .defaultValue, maxQueueDepth: 16, logger: Logger(label: "test"))
        return InferenceService(registry: ModelRegistry(directory: directory), manager: manager)
    }

    private func request(_ text: String, lora: String?) -> GenerationRequest {
        var request = GenerationRequest(
            model: "qwen3-0.6b", input: .chat([ChatMessage(role: .user, content: text)]), maxTokens: 40)
        request.lora = lora
        return request
    }

    @Test func theServicePassesTheAdapterOnAndRefusesAnUnknownNameListingTheAdapters() async throws {
        let directory = try Self.directoryWithAdapters()
        let service = service(directory: directory)
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        #expect(await service.loraAdapters(of: descriptor) == ["pirate", "formal", "terse"])
        let answer = try await service.generate(request("[[echo]]Ahoy[[/echo]]", lora: "pirate")).collect()
        #expect(answer.text == "[lora:pirate] Ahoy")
        await #expect {
            _ = try await service.generate(request("[[echo]]Ahoy[[/echo]]", lora: "parrot"))
        } throws: { error in
            (error as? InferenceError)?.description
                == "model 'qwen3-0.6b' has no LoRA adapter 'parrot' (adapters: pirate, formal, terse)"
        }
        await #expect {
            var cached = request("Hi", lora: "pirate")
            cached.useCache = "system"
            _ = try await service.generate(cached)
        } throws: { error in
            guard case .invalidRequest(let message) = error as? InferenceError else { return false }
            return message.contains("use_cache and lora")
        }
        await service.unloadAll()
    }
}

import Foundation
import InferenceCore
import InferenceTypes
import Logging
import ModelStore
import Synchronization
import TestSupport
import Testing

/// Loads scripted engines whose context is what the load asked for, as the real loaders size it: at least
/// `configured`, at most `trained`; records the contexts asked.
final class ContextSizingLoader: EngineLoader {
    let format = ModelFormat.gguf
    let configured: Int
    let trained: Int
    /// KV-cache bytes per token of context, reported as the engines' `kvCacheBytes`.
    let kvBytesPerToken: UInt64
    private let script: @Sendable (EngineRequest) -> [ScriptedEngine.Step]
    private let state = Mutex<(asked: [Int?], engines: [ScriptedEngine])>(([], []))

    init(
        configured: Int = 2048, trained: Int = 8192, kvBytesPerToken: UInt64 = 0,
        script: @escaping @Sendable (EngineRequest) -> [ScriptedEngine.Step] = { _ in ScriptedEngine.answer(["ok"]) }
    ) {
        self.configured = configured
        self.trained = trained
        self.kvBytesPerToken = kvBytesPerToken
        self.script = script
    }

    func load(_ model: ModelDescriptor) async throws -> any Engine {
        try await load(model, contextLength: nil)
    }

    func load(_ model: ModelDescriptor, contextLength: Int?) async throws -> any Engine {
        let length = min(max(configured, contextLength ?? 0), trained)
        var info = ScriptedEngine.info()
        info.trainedContextLength = trained
        info.contextLength = length
        info.kvCacheBytes = UInt64(length) * kvBytesPerToken
        let engine = ScriptedEngine(info: info, script: script)
        state.withLock { state in
            state.asked.append(contextLength)
            state.engines.append(engine)
        }
        return engine
    }

    /// The context each load asked for, in order.
    var asked: [Int?] { state.withLock { $0.asked } }
    /// The engines loaded, oldest first.
    var engines: [ScriptedEngine] { state.withLock { $0.engines } }
}

@Suite("num_ctx: a larger context reloads the model, a smaller or equal one does not")
struct ContextReloadTests {
    private struct Core {
        let service: InferenceService
        let manager: ModelManager
        let loader: ContextSizingLoader

        init(_ loader: ContextSizingLoader, memoryBudgetBytes: UInt64 = .max) throws {
            self.loader = loader
            manager = ModelManager(
                loaders: [loader], defaultKeepAlive: .forever,
                limits: ModelManager.Limits(memoryBudgetBytes: memoryBudgetBytes), logger: Logger(label: "test"))
            service = InferenceService(
                registry: ModelRegistry(directory: try ScriptedModels.directory(["alpha"])), manager: manager,
                timeLimits: nil)
        }

        func chat(numCtx: Int?) -> GenerationRequest {
            var request = GenerationRequest(model: "alpha", input: .chat([ChatMessage(role: .user, content: "Hi")]))
            request.contextLength = numCtx
            return request
        }

        func loadedContext() async -> Int? {
            await service.loadedModels().first?.info.contextLength
        }
    }

    @Test("a request asking for more context than loaded reloads the model with it")
    func largerReloads() async throws {
        let core = try Core(ContextSizingLoader())
        _ = try await core.service.generate(core.chat(numCtx: nil)).collect()
        #expect(await core.loadedContext() == 2048)
        let answer = try await core.service.generate(core.chat(numCtx: 4096)).collect()
        #expect(answer.text == "ok")
        #expect(core.loader.asked == [nil, 4096])
        #expect(await core.loadedContext() == 4096)
        #expect(core.loader.engines.first?.isUnloaded == true)
    }

    @Test("the same, a smaller or no context keeps the loaded model: no reload churn between clients")
    func smallerOrEqualKeeps() async throws {
        let core = try Core(ContextSizingLoader())
        _ = try await core.service.generate(core.chat(numCtx: 4096)).collect()
        for asked in [4096, 2048, 512, nil] {
            _ = try await core.service.generate(core.chat(numCtx: asked)).collect()
        }
        #expect(core.loader.asked == [4096])
        #expect(await core.loadedContext() == 4096)
    }

    @Test("a context past the trained length grows the model to its trained length once")
    func cappedAtTrainedLength() async throws {
        let core = try Core(ContextSizingLoader(trained: 8192))
        _ = try await core.service.generate(core.chat(numCtx: nil)).collect()
        _ = try await core.service.generate(core.chat(numCtx: 100_000)).collect()
        _ = try await core.service.generate(core.chat(numCtx: 100_000)).collect()
        #expect(core.loader.asked == [nil, 8192])
        #expect(await core.loadedContext() == 8192)
    }

    @Test("the memory budget bounds the larger context, and asking again does not reload")
    func cappedByMemory() async throws {
        // 1 MiB of weights (the scripted engines') and 1 KiB of KV cache per token: 6000 tokens fit the budget.
        let budget: UInt64 = (1 << 20) + 6000 * 1024
        let core = try Core(ContextSizingLoader(kvBytesPerToken: 1024), memoryBudgetBytes: budget)
        _ = try await core.service.generate(core.chat(numCtx: nil)).collect()
        _ = try await core.service.generate(core.chat(numCtx: 8192)).collect()
        _ = try await core.service.generate(core.chat(numCtx: 8192)).collect()
        #expect(core.loader.asked == [nil, 6000])
        #expect(await core.loadedContext() == 6000)
    }

    @Test("the reload waits for the generation in flight, which ends whole; requests meanwhile wait for it")
    func reloadWaitsForInFlight() async throws {
        let loader = ContextSizingLoader { request in
            guard case .chat(let messages) = request.input, messages.last?.content == "slow" else {
                return ScriptedEngine.answer(["ok"])
            }
            return [.event(.text("a")), .stall, .event(.text("b")), .event(ScriptedEngine.summary(tokens: 2))]
        }
        let core = try Core(loader)
        var slow = core.chat(numCtx: nil)
        slow.input = .chat([ChatMessage(role: .user, content: "slow")])
        let inFlight = try await core.service.generate(slow)
        let larger = Task { try await core.service.generate(core.chat(numCtx: 4096)).collect() }
        try await Task.sleep(for: .milliseconds(50))
        let meanwhile = Task { try await core.service.generate(core.chat(numCtx: nil)).collect() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(loader.asked == [nil])
        loader.engines.first?.releaseStalls()
        #expect(try await inFlight.collect().text == "ab")
        #expect(try await larger.value.text == "ok")
        #expect(try await meanwhile.value.text == "ok")
        #expect(loader.asked == [nil, 4096])
        #expect(loader.engines.count == 2 && loader.engines[1].generations == 2)
    }

    @Test("a request cancelled while it waits for a reload leaves the model as it was")
    func cancelledWhileWaiting() async throws {
        let loader = ContextSizingLoader { _ in
            [.event(.text("a")), .stall, .event(ScriptedEngine.summary(tokens: 1))]
        }
        let core = try Core(loader)
        let inFlight = try await core.service.generate(core.chat(numCtx: nil))
        let larger = Task { try await core.service.generate(core.chat(numCtx: 4096)) }
        try await Task.sleep(for: .milliseconds(50))
        larger.cancel()
        await #expect(throws: CancellationError.self) { _ = try await larger.value }
        loader.engines.first?.releaseStalls()
        _ = try await inFlight.collect()
        #expect(loader.asked == [nil])
        #expect(await core.loadedContext() == 2048)
    }
}

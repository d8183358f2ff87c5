import Foundation
import InferenceCore
import InferenceTypes
import TestSupport
import Testing

@Suite("Keep-alive, LRU and unloads on scripted engines")
struct ModelLifecycleScriptedTests {
    @Test("the keep-alive starts after the last use and unloads the model when it runs out")
    func keepAliveExpires() async throws {
        let core = try ScriptedCore(keepAlive: .seconds(0.2))
        _ = try await core.service.generate(ScriptedCore.chat()).collect()
        let expiry = try #require(await core.manager.loadedModels().first?.expiresAt)
        #expect(expiry.timeIntervalSinceNow > 0)
        #expect(try await ScriptedCore.eventually { await core.loaded().isEmpty })
    }

    @Test("keep-alive forever keeps the model with no expiry")
    func keepAliveForever() async throws {
        let core = try ScriptedCore(keepAlive: .seconds(0))
        _ = try await core.service.generate(ScriptedCore.chat(), keepAlive: .forever).collect()
        let loaded = await core.manager.loadedModels()
        #expect(loaded.count == 1 && loaded.first?.keepAlive == .forever && loaded.first?.expiresAt == nil)
    }

    @Test("a model past the limit unloads the least recently used idle one")
    func leastRecentlyUsed() async throws {
        let core = try ScriptedCore(models: ["alpha", "beta", "gamma"], maxLoadedModels: 2)
        _ = try await core.service.generate(ScriptedCore.chat("alpha")).collect()
        _ = try await core.service.generate(ScriptedCore.chat("beta")).collect()
        _ = try await core.service.generate(ScriptedCore.chat("alpha")).collect()
        _ = try await core.service.generate(ScriptedCore.chat("gamma")).collect()
        #expect(await core.loaded() == ["alpha", "gamma"])
    }

    @Test("a load that needs room waits for the busy model to finish, then takes its place")
    func loadWaitsForABusyModel() async throws {
        let core = try ScriptedCore(models: ["alpha", "beta"], maxLoadedModels: 1) { model in
            ScriptedEngine { _ in
                model.id == "alpha"
                    ? [.event(.text("a")), .stall, .event(ScriptedEngine.summary(tokens: 1))]
                    : ScriptedEngine.answer(["b"])
            }
        }
        let busy = try await core.service.generate(ScriptedCore.chat("alpha"))
        let waiting = Task { try await core.service.generate(ScriptedCore.chat("beta")).collect() }
        try await Task.sleep(for: .milliseconds(50))
        #expect(core.loader.loads == 1)
        core.loader.engines.first?.releaseStalls()
        _ = try await busy.collect()
        #expect(try await waiting.value.text == "b")
        #expect(await core.loaded() == ["beta"])
    }

    @Test("an unload while a generation runs waits for it, then unloads")
    func unloadWhileBusy() async throws {
        let core = try ScriptedCore { _ in
            ScriptedEngine { _ in [.event(.text("a")), .stall, .event(ScriptedEngine.summary(tokens: 1))] }
        }
        let generation = try await core.service.generate(ScriptedCore.chat())
        #expect(try await core.service.unload("alpha"))
        #expect(await core.loaded() == ["alpha"])
        core.loader.engines.first?.releaseStalls()
        _ = try await generation.collect()
        #expect(await core.loaded().isEmpty)
    }

    @Test("a dead engine is loaded again for the next request")
    func deadEngineIsReloaded() async throws {
        let core = try ScriptedCore()
        _ = try await core.service.generate(ScriptedCore.chat()).collect()
        core.loader.engines.first?.die()
        _ = try await core.service.generate(ScriptedCore.chat()).collect()
        #expect(core.loader.loads == 2)
        #expect(core.loader.engines.first?.isUnloaded == true)
    }

    @Test("a waiter for a model whose client left is dropped from the queue")
    func cancelledWaiter() async throws {
        let core = try ScriptedCore(maxQueueDepth: 1) { _ in
            ScriptedEngine { _ in [.event(.text("a")), .stall, .event(ScriptedEngine.summary(tokens: 1))] }
        }
        let running = try await core.service.generate(ScriptedCore.chat())
        let leaving = Task { try await core.service.generate(ScriptedCore.chat()) }
        try await Task.sleep(for: .milliseconds(50))
        leaving.cancel()
        await #expect(throws: CancellationError.self) { try await leaving.value }
        // Its place in the queue is free again: another request waits instead of being refused.
        let next = Task { try await core.service.generate(ScriptedCore.chat()).first }
        try await Task.sleep(for: .milliseconds(50))
        core.loader.engines.first?.releaseStalls()
        _ = try await running.collect()
        #expect(try await next.value == .text("a"))
        #expect(core.loader.engines.first?.generations == 2)
    }
}

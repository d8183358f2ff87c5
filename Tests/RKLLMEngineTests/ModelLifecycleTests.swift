import Foundation
import InferenceCore
import InferenceTypes
import Logging
import ModelStore
import RKLLMEngine
import TestSupport
import Testing

/// The model manager's lifecycle on the simulator: leases, unload during a generation, keep-alive.
@Suite(.serialized) struct ModelLifecycleTests {
    private func service(keepAlive: KeepAlive = .defaultValue, maxQueue: Int = 16) throws -> InferenceService {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory)
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath("1.3")))
        let manager = ModelManager(
            loaders: [loader], defaultKeepAlive: keepAlive, maxQueueDepth: maxQueue, logger: Logger(label: "test"))
        return InferenceService(registry: ModelRegistry(directory: directory), manager: manager)
    }

    private func request(_ text: String, maxTokens: Int? = nil) -> GenerationRequest {
        GenerationRequest(
            model: "qwen3-0.6b", input: .chat([ChatMessage(role: .user, content: text)]), maxTokens: maxTokens)
    }

    @Test func requestsThatArriveWhileTheModelLoadsAllGetIt() async throws {
        let service = try service()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<6 {
                group.addTask {
                    let generation = try await service.generate(self.request("[[echo]]hi \(index)[[/echo]]"))
                    _ = try await generation.collect()
                }
            }
            try await group.waitForAll()
        }
        #expect(await service.loadedModels().count == 1)
    }

    @Test func anUnloadDuringAGenerationWaitsForIt() async throws {
        let service = try service()
        let generation = try await service.generate(request("Tell me a story.", maxTokens: 30))
        #expect(try await service.unload("qwen3-0.6b"))
        // Still loaded, still answering.
        #expect(await service.loadedModels().count == 1)
        var tokens = 1
        var summary: GenerationSummary?
        while let event = try await generation.next() {
            switch event {
            case .text: tokens += 1
            case .done(let done): summary = done
            case .reasoning, .toolCall, .logprobs: break
            }
        }
        #expect(summary?.usage.completionTokens == 30 && summary?.finishReason == .length)
        for _ in 0..<50 where await !service.loadedModels().isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await service.loadedModels().isEmpty)
    }

    @Test func keepAliveZeroUnloadsAfterTheAnswerAndForeverKeepsIt() async throws {
        let service = try service()
        _ = try await service.generate(request("Hi", maxTokens: 2), keepAlive: .seconds(0)).collect()
        for _ in 0..<50 where await !service.loadedModels().isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await service.loadedModels().isEmpty)

        _ = try await service.generate(request("Hi", maxTokens: 2), keepAlive: .forever).collect()
        try await Task.sleep(for: .milliseconds(100))
        let loaded = await service.loadedModels()
        #expect(loaded.count == 1 && loaded.first?.keepAlive == .forever && loaded.first?.expiresAt == nil)
        await service.unloadAll()
    }

    @Test func theDefaultKeepAliveStartsAfterTheLastUse() async throws {
        let service = try service(keepAlive: .seconds(0.3))
        _ = try await service.generate(request("Hi", maxTokens: 2)).collect()
        try await Task.sleep(for: .milliseconds(50))
        let expiry = try #require(await service.loadedModels().first?.expiresAt)
        #expect(expiry > Date())
        for _ in 0..<100 where await !service.loadedModels().isEmpty {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await service.loadedModels().isEmpty)
    }

    @Test func aFullQueueTurnsRequestsAwayAtOnce() async throws {
        let service = try service(maxQueue: 2)
        try await service.load("qwen3-0.6b")
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<5 {
                group.addTask {
                    do {
                        _ = try await service.generate(request("Hi", maxTokens: 10)).collect()
                        return true
                    } catch InferenceError.busy {
                        return false
                    }
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        // One answering and two waiting; the other two refused.
        #expect(outcomes.filter { $0 }.count == 3)
        #expect(outcomes.filter { !$0 }.count == 2)
        await service.unloadAll()
    }
}

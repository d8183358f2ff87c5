import Foundation
import InferenceTypes
import ModelStore
import RKLLMEngine
import TestSupport
import Testing

/// The RKLLM engine's prompt-cache files on the simulator, both layouts: a system prompt seen once is saved,
/// and later requests that begin with it start from the file, whatever came in between.
@Suite(.serialized) struct RKLLMPromptCacheTests {
    /// About 1300 characters, as the original design's coding-assistant system prompt.
    static let systemPrompt =
        "You are a careful coding assistant. "
        + String(repeating: "Answer with short, correct code and explain each change in one sentence. ", count: 17)

    private func load(_ layout: String, cacheDirectory: String, diskMiB: Int = 64, batch: Int = 1) async throws
        -> any Engine
    {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory)
        let loader = RKLLMEngineLoader(
            options: .init(
                libraryPath: Simulator.libraryPath(layout), parallel: batch, promptCacheDirectory: cacheDirectory,
                promptCacheDiskMiB: diskMiB))
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        return try await loader.load(descriptor)
    }

    private func chat(system: String?, question: String) -> EngineRequest {
        var messages = [ChatMessage(role: .user, content: "[[echo]]ok[[/echo]] " + question)]
        if let system { messages.insert(ChatMessage(role: .system, content: system), at: 0) }
        return EngineRequest(input: .chat(messages), maxTokens: 4)
    }

    private func summary(_ engine: any Engine, _ request: EngineRequest) async throws -> GenerationSummary {
        for try await event in engine.generate(request) {
            if case .done(let summary) = event { return summary }
        }
        throw InferenceError.engineFailure("no summary")
    }

    private func cacheFiles(in directory: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: directory)
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".cache") }
    }

    @Test(arguments: Simulator.layouts)
    func aSystemPromptSeenOnceIsNotPrefilledAgain(layout: String) async throws {
        let cache = try Simulator.makeDirectory()
        let engine = try await load(layout, cacheDirectory: cache)
        let first = try await summary(engine, chat(system: Self.systemPrompt, question: "What is a tuple?"))
        let second = try await summary(engine, chat(system: Self.systemPrompt, question: "And a list?"))
        await engine.unload()
        // The first request evaluated the prefix (to save it), the second starts from the file.
        #expect(first.usage.cachedTokens == 0)
        #expect(second.usage.cachedTokens > 300)
        #expect(second.usage.promptTokens > second.usage.cachedTokens)
        #expect(cacheFiles(in: cache).count == 1)
    }

    @Test(arguments: Simulator.layouts)
    func anotherConversationOrAStoppedStreamInBetweenKeepsThePrefix(layout: String) async throws {
        let cache = try Simulator.makeDirectory()
        let engine = try await load(layout, cacheDirectory: cache)
        _ = try await summary(engine, chat(system: Self.systemPrompt, question: "What is a tuple?"))
        let other = try await summary(
            engine,
            chat(system: "You are a poet. " + String(repeating: "Write in rhyme. ", count: 20), question: "Sea?"))
        #expect(other.usage.cachedTokens == 0)  // a new system prompt: evaluated, and its file saved
        let afterOther = try await summary(engine, chat(system: Self.systemPrompt, question: "And a set?"))
        #expect(afterOther.usage.cachedTokens > 300)

        // A client that stops reading after the first piece.
        var stopped = chat(system: Self.systemPrompt, question: "Count for a long time.")
        stopped.input = .chat([
            ChatMessage(role: .system, content: Self.systemPrompt),
            ChatMessage(role: .user, content: "Count for a long time."),
        ])
        stopped.maxTokens = 500
        for try await event in engine.generate(stopped) {
            if case .text = event { break }
        }
        let afterStop = try await summary(engine, chat(system: Self.systemPrompt, question: "And a map?"))
        await engine.unload()
        #expect(afterStop.usage.cachedTokens == afterOther.usage.cachedTokens)
        #expect(cacheFiles(in: cache).count == 2)
    }

    @Test(arguments: Simulator.layouts)
    func theFilesOutliveTheEngine(layout: String) async throws {
        let cache = try Simulator.makeDirectory()
        let first = try await load(layout, cacheDirectory: cache)
        _ = try await summary(first, chat(system: Self.systemPrompt, question: "What is a tuple?"))
        await first.unload()
        let start = Simulator.eventCount()
        let second = try await load(layout, cacheDirectory: cache)
        let again = try await summary(second, chat(system: Self.systemPrompt, question: "And a list?"))
        await second.unload()
        #expect(again.usage.cachedTokens > 300)
        // Loaded from the file, not saved again.
        let events = Simulator.events(from: start)
        #expect(events.contains { $0.hasPrefix("load_prompt_cache ok") })
        #expect(!events.contains { $0.hasPrefix("save_prompt_cache") })
    }

    @Test(arguments: Simulator.layouts)
    func aShortOrMissingSystemPromptIsNotCached(layout: String) async throws {
        let cache = try Simulator.makeDirectory()
        let engine = try await load(layout, cacheDirectory: cache)
        let none = try await summary(engine, chat(system: nil, question: "Hi"))
        let short = try await summary(engine, chat(system: "Be brief.", question: "Hi"))
        await engine.unload()
        #expect(none.usage.cachedTokens == 0)
        #expect(short.usage.cachedTokens == 0)
        #expect(cacheFiles(in: cache).isEmpty)
    }

    @Test(arguments: Simulator.layouts)
    func theCoreRenderedPrefixIsCachedToo(layout: String) async throws {
        let cache = try Simulator.makeDirectory()
        let engine = try await load(layout, cacheDirectory: cache)
        let prefix = "<|im_start|>system\n" + Self.systemPrompt + "<|im_end|>\n"
        func request(_ question: String) -> EngineRequest {
            var request = EngineRequest(
                input: .rendered(prefix + "<|im_start|>user\n[[echo]]ok[[/echo]] \(question)<|im_end|>\n"),
                maxTokens: 4)
            request.cachePrefix = prefix
            return request
        }
        _ = try await summary(engine, request("What is a tuple?"))
        let second = try await summary(engine, request("And a list?"))
        var unrelated = request("x")
        unrelated.cachePrefix = "something the prompt does not begin with"
        let mismatch = try await summary(engine, unrelated)
        await engine.unload()
        #expect(second.usage.cachedTokens > 300)
        #expect(mismatch.usage.cachedTokens == 0 || mismatch.usage.cachedTokens == second.usage.cachedTokens)
    }

    @Test(arguments: Simulator.layouts)
    func aNamedCacheIsSavedAndUsed(layout: String) async throws {
        let cache = try Simulator.makeDirectory()
        let engine = try await load(layout, cacheDirectory: cache)
        let path = cache + "/named.bin"
        let prefix = "<|im_start|>system\n" + Self.systemPrompt + "<|im_end|>\n"
        let saved = try await engine.savePromptCache(of: .rendered(prefix), to: path)
        #expect(saved.tokens > 300)
        #expect(saved.bytes > 0)
        #expect(FileManager.default.fileExists(atPath: path))
        var request = EngineRequest(
            input: .rendered(prefix + "<|im_start|>user\n[[echo]]ok[[/echo]] Hi<|im_end|>\n"), maxTokens: 4)
        request.promptCache = PromptCacheUse(path: path, text: prefix, tokens: saved.tokens)
        let used = try await summary(engine, request)

        request.promptCache = PromptCacheUse(path: cache + "/missing.bin", text: prefix, tokens: saved.tokens)
        await #expect(throws: InferenceError.self) { _ = try await summary(engine, request) }
        await engine.unload()
        #expect(used.usage.cachedTokens == saved.tokens)
    }

    @Test(arguments: Simulator.layouts)
    func aBatchOfRequestsWithOneSystemPromptStartsFromItsFile(layout: String) async throws {
        let cache = try Simulator.makeDirectory()
        let engine = try await load(layout, cacheDirectory: cache, batch: 4)
        _ = try await summary(engine, chat(system: Self.systemPrompt, question: "Warm up"))
        let start = Simulator.eventCount()
        let summaries = try await withThrowingTaskGroup(of: GenerationSummary.self) { group in
            for index in 0..<4 {
                group.addTask { try await summary(engine, chat(system: Self.systemPrompt, question: "Q\(index)")) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        await engine.unload()
        #expect(summaries.count == 4)
        #expect(summaries.allSatisfy { $0.usage.cachedTokens > 300 })
        // Every batch element was matched against the loaded file.
        let runs = Simulator.events(from: start).filter { $0.hasPrefix("run ") }
        #expect(runs.count >= 4)
        #expect(runs.allSatisfy { !$0.contains("cached_tokens=0") })
    }
}

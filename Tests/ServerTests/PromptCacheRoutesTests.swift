import Foundation
import Hummingbird
import HummingbirdTesting
import InferenceCore
import InferenceTypes
import Logging
import ModelStore
import TestSupport
import Testing

@testable import Server

/// The named prompt caches of the original design (`POST/GET /v1/cache/{model}`, `DELETE
/// /v1/cache/{model}/{name}`, `use_cache`) on scripted engines that write a small state file.
@Suite struct PromptCacheRoutesTests {
    /// A ChatML template: the system turn alone is the start of every conversation.
    static let template = """
        {% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}\
        {% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}
        """

    static let systemPrompt = "You are a careful assistant who answers in one sentence."

    /// A scripted engine that renders through `template` (nil: formats conversations itself) and saves caches.
    static func engine(
        template: String? = Self.template, runtime: String = "scripted 1", saves: Bool = true
    ) -> ScriptedEngine {
        ScriptedEngine(
            info: ScriptedEngine.info(chatTemplate: template, runtimeVersion: runtime), savesPromptCaches: saves)
    }

    /// The real router over scripted engines made by `make`, serving the models directory `directory`.
    static func withRouter(
        directory: String, make: @escaping @Sendable () -> ScriptedEngine = { engine() },
        _ test: @escaping @Sendable (any TestClientProtocol, ScriptedEngineLoader) async throws -> Void
    ) async throws {
        let loader = ScriptedEngineLoader { _ in make() }
        let service = InferenceService(
            registry: ModelRegistry(directory: directory),
            manager: ModelManager(loaders: [loader], logger: Logger(label: "test")))
        let router = buildRouter(
            configuration: ServerConfiguration(), service: service, readiness: Readiness(ready: true))
        try await Application(router: router).test(.router) { client in try await test(client, loader) }
    }

    static func create(
        _ client: any TestClientProtocol, model: String = "alpha", name: String = "system",
        prompt: String = systemPrompt
    ) async throws -> TestResponse {
        let body = try JSONSerialization.data(withJSONObject: ["cache_name": name, "prompt": prompt])
        return try await post(client, "/v1/cache/\(model)", String(decoding: body, as: UTF8.self))
    }

    static func chat(
        _ client: any TestClientProtocol, model: String = "alpha", useCache: String, system: String? = nil,
        path: String = "/v1/chat/completions"
    ) async throws -> TestResponse {
        var messages: [[String: String]] = []
        if let system { messages.append(["role": "system", "content": system]) }
        messages.append(["role": "user", "content": "Help me debug this code"])
        var body: [String: Any] = ["model": model, "messages": messages]
        if path.hasPrefix("/api") {
            body["options"] = ["use_cache": useCache]
            body["stream"] = false
        } else {
            body["use_cache"] = useCache
        }
        let data = try JSONSerialization.data(withJSONObject: body)
        return try await post(client, path, String(decoding: data, as: UTF8.self))
    }

    @Test func aCacheIsMadeListedAndDeleted() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, loader in
            let created = try await Self.create(client)
            #expect(created.status == .created)
            let body = try object(created)
            #expect(body["object"] as? String == "prompt_cache")
            #expect(body["cache_name"] as? String == "system")
            #expect(body["model"] as? String == "alpha")
            let rendered = "<|im_start|>system\n\(Self.systemPrompt)<|im_end|>\n"
            #expect(body["tokens"] as? Int == rendered.count)
            #expect(body["bytes"] as? Int == rendered.utf8.count)
            #expect((body["created"] as? Int ?? 0) > 1_700_000_000)
            #expect(loader.engines.first?.savedInputs == [.rendered(rendered)], "the system turn, as rendered")
            let folder = "\(directory)/cache/alpha"
            #expect(FileManager.default.contents(atPath: "\(folder)/system.bin") == Data(rendered.utf8))
            let json = try #require(FileManager.default.contents(atPath: "\(folder)/system.json"))
            let metadata = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
            #expect(metadata["model_file"] as? String == "alpha.gguf")
            #expect(metadata["runtime_version"] as? String == "scripted 1")
            #expect(metadata["prompt"] as? String == Self.systemPrompt)
            #expect(metadata["text"] as? String == rendered)

            let listed = try await client.execute(uri: "/v1/cache/alpha", method: .get)
            #expect(listed.status == .ok)
            let list = try object(listed)
            #expect(list["object"] as? String == "list")
            let entries = try #require(list["data"] as? [[String: Any]])
            #expect(entries.map { $0["cache_name"] as? String } == ["system"])
            #expect(entries.first?["tokens"] as? Int == rendered.count)
            #expect(entries.first?["bytes"] as? Int == rendered.utf8.count)

            let models = try object(try await client.execute(uri: "/v1/models", method: .get))
            let ids = (models["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["alpha"], "the cache folder is not a model")

            let deleted = try await client.execute(uri: "/v1/cache/alpha/system", method: .delete)
            #expect(deleted.status == .ok)
            #expect(try object(deleted)["deleted"] as? Bool == true)
            #expect(!FileManager.default.fileExists(atPath: "\(folder)/system.bin"))
            let again = try await client.execute(uri: "/v1/cache/alpha/system", method: .delete)
            #expect(again.status == .notFound)
            #expect(try openAIError(again)["message"] as? String == "no prompt cache named 'system' for model 'alpha'")
            let nameless = try await client.execute(uri: "/v1/cache/alpha", method: .delete)
            #expect(nameless.status == .notFound)
            let empty = try object(try await client.execute(uri: "/v1/cache/alpha", method: .get))
            #expect((empty["data"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func theSameNameAgainReplacesTheCache() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, _ in
            let status1 = try await Self.create(client, prompt: "Short.").status
            #expect(status1 == .created)
            let status2 = try await Self.create(client, prompt: "A longer system prompt.").status
            #expect(status2 == .created)
            let list = try object(try await client.execute(uri: "/v1/cache/alpha", method: .get))
            let entries = try #require(list["data"] as? [[String: Any]])
            #expect(entries.count == 1)
            #expect(entries.first?["tokens"] as? Int == "<|im_start|>system\nA longer system prompt.<|im_end|>\n".count)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: "\(directory)/cache/alpha")
            #expect(leftovers.sorted() == ["system.bin", "system.json"], "no partial state files stay behind")
        }
    }

    @Test(arguments: ["", ".hidden", "../escape", "a b", "naïve", String(repeating: "x", count: 65), "-dash"])
    func namesThatAreNotPlainFileNamesAreRefused(name: String) async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, loader in
            let response = try await Self.create(client, name: name)
            #expect(response.status == .badRequest)
            #expect((try openAIError(response)["message"] as? String)?.contains("cache_name") == true)
            #expect(loader.loads == 0, "refused before any model is loaded")
            #expect(!FileManager.default.fileExists(atPath: "\(directory)/cache"))
        }
    }

    @Test func badRequestsAndUnknownModelsAreRefused() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, _ in
            let status3 = try await Self.create(client, model: "nope").status
            #expect(status3 == .notFound)
            let status4 = try await client.execute(uri: "/v1/cache/nope", method: .get).status
            #expect(status4 == .notFound)
            let status5 = try await Self.create(client, prompt: "").status
            #expect(status5 == .badRequest)
            let status6 = try await post(client, "/v1/cache/alpha", #"{"prompt":"x"}"#).status
            #expect(status6 == .badRequest)
            let status7 = try await post(client, "/v1/cache/alpha", "not json").status
            #expect(status7 == .badRequest)
        }
    }

    @Test func anEngineThatCannotSaveIsA400() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory, make: { Self.engine(saves: false) }) { client, _ in
            let response = try await Self.create(client)
            #expect(response.status == .badRequest)
            #expect(try openAIError(response)["message"] as? String == "this model's engine cannot save prompt caches")
            let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/cache/alpha")) ?? []
            #expect(leftovers.isEmpty)
        }
    }

    @Test func useCacheWithoutASystemMessageStartsFromTheCachedPrompt() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, loader in
            _ = try await Self.create(client)
            let response = try await Self.chat(client, useCache: "system")
            #expect(response.status == .ok)
            let request = try #require(loader.engines.first?.requests.last)
            let rendered = "<|im_start|>system\n\(Self.systemPrompt)<|im_end|>\n"
            guard case .rendered(let prompt) = request.input else {
                Issue.record("the core renders for this engine")
                return
            }
            #expect(prompt.hasPrefix(rendered + "<|im_start|>user\nHelp me debug this code"))
            #expect(
                request.promptCache
                    == PromptCacheUse(
                        path: "\(directory)/cache/alpha/system.bin", text: rendered, tokens: rendered.count))
        }
    }

    @Test func useCacheWithTheSameSystemMessageIsKeptAndAnotherIsRefused() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, loader in
            _ = try await Self.create(client)
            let same = try await Self.chat(client, useCache: "system", system: Self.systemPrompt)
            #expect(same.status == .ok)
            #expect(loader.engines.first?.requests.last?.promptCache != nil)
            let generations = loader.engines.first?.generations
            let other = try await Self.chat(client, useCache: "system", system: "You are a pirate.")
            #expect(other.status == .badRequest)
            #expect(
                (try openAIError(other)["message"] as? String)?.hasPrefix(
                    "the prompt does not begin with the cached prompt") == true)
            #expect(loader.engines.first?.generations == generations, "nothing reached the engine")
        }
    }

    @Test func aMissingCacheIsA404OnBothDialects() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, _ in
            let openAI = try await Self.chat(client, useCache: "nothing")
            #expect(openAI.status == .notFound)
            #expect(
                try openAIError(openAI)["message"] as? String == "no prompt cache named 'nothing' for model 'alpha'")
            let ollama = try await Self.chat(client, useCache: "nothing", path: "/api/chat")
            #expect(ollama.status == .notFound)
            #expect(try object(ollama)["error"] as? String == "no prompt cache named 'nothing' for model 'alpha'")
            let bad = try await post(
                client, "/api/chat",
                #"{"model":"alpha","messages":[{"role":"user","content":"x"}],"options":{"use_cache":5}}"#)
            #expect(bad.status == .badRequest)
        }
    }

    @Test func ollamaChatTakesUseCacheFromItsOptions() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, loader in
            _ = try await Self.create(client)
            let response = try await Self.chat(client, useCache: "system", path: "/api/chat")
            #expect(response.status == .ok)
            #expect(loader.engines.first?.requests.last?.promptCache?.path == "\(directory)/cache/alpha/system.bin")
        }
    }

    @Test func aCacheSurvivesARestartOfTheServer() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, _ in
            let status8 = try await Self.create(client).status
            #expect(status8 == .created)
        }
        try await Self.withRouter(directory: directory) { client, loader in
            let list = try object(try await client.execute(uri: "/v1/cache/alpha", method: .get))
            #expect((list["data"] as? [[String: Any]])?.first?["cache_name"] as? String == "system")
            #expect(loader.loads == 0, "listing needs no model")
            let status9 = try await Self.chat(client, useCache: "system").status
            #expect(status9 == .ok)
            #expect(loader.engines.first?.requests.last?.promptCache != nil)
        }
    }

    @Test func aCacheOfAnotherModelIsRefused() async throws {
        let directory = try ScriptedModels.directory(["alpha", "beta"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, _ in
            _ = try await Self.create(client, model: "alpha")
            let other = try await Self.chat(client, model: "beta", useCache: "system")
            #expect(other.status == .notFound, "beta has no cache of that name")
            // The file alpha was cached with is replaced by another of the same name.
            let handle = try #require(FileHandle(forWritingAtPath: "\(directory)/alpha.gguf"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(count: 16))
            try handle.close()
            let replaced = try await Self.chat(client, model: "alpha", useCache: "system")
            #expect(replaced.status == .conflict)
            let error = try openAIError(replaced)
            #expect((error["message"] as? String)?.contains("alpha.gguf") == true)
            #expect(error["param"] as? String == "use_cache")
        }
    }

    @Test func aCacheOfAnotherRuntimeVersionIsRefused() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory) { client, _ in
            let status10 = try await Self.create(client).status
            #expect(status10 == .created)
        }
        try await Self.withRouter(directory: directory, make: { Self.engine(runtime: "scripted 2") }) { client, _ in
            let response = try await Self.chat(client, useCache: "system")
            #expect(response.status == .conflict)
            #expect((try openAIError(response)["message"] as? String)?.contains("scripted 2") == true)
            let ollama = try await Self.chat(client, useCache: "system", path: "/api/chat")
            #expect(ollama.status == .conflict)
        }
    }

    @Test func anEngineThatFormatsConversationsItselfCachesTheSystemMessage() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await Self.withRouter(directory: directory, make: { Self.engine(template: nil) }) { client, loader in
            let status11 = try await Self.create(client).status
            #expect(status11 == .created)
            let engine = try #require(loader.engines.first)
            #expect(engine.savedInputs == [.chat([ChatMessage(role: .system, content: Self.systemPrompt)])])
            let status12 = try await Self.chat(client, useCache: "system").status
            #expect(status12 == .ok)
            let request = try #require(engine.requests.last)
            guard case .chat(let messages) = request.input else {
                Issue.record("the engine formats conversations itself")
                return
            }
            #expect(messages.first == ChatMessage(role: .system, content: Self.systemPrompt))
            #expect(request.promptCache?.text == Self.systemPrompt)
            let other = try await Self.chat(client, useCache: "system", system: "Something else.")
            #expect(other.status == .badRequest)
        }
    }

    @Test func usageReportsTheCachedTokens() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = EngineEvent.done(
            GenerationSummary(
                finishReason: .stop, usage: Usage(promptTokens: 30, cachedTokens: 24, completionTokens: 1),
                timings: Timings()))
        let make: @Sendable () -> ScriptedEngine = {
            ScriptedEngine(info: ScriptedEngine.info()) { _ in [.event(.text("Hi")), .event(summary)] }
        }
        try await Self.withRouter(directory: directory, make: make) { client, _ in
            let response = try await post(
                client, "/v1/chat/completions", #"{"model":"alpha","messages":[{"role":"user","content":"x"}]}"#)
            let usage = try #require(try object(response)["usage"] as? [String: Any])
            #expect((usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? Int == 24)
        }
    }
}

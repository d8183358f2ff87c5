import Foundation
import Hummingbird
import HummingbirdTesting
import InferenceTypes
import TestSupport
import Testing

@testable import Server

/// Issue 12 item 6 through the routes: while a runaway answer holds one of a model's two slots, a title
/// request, an embedding and Ollama's unload (`keep_alive: 0`, what `ollama stop` sends) answer at once.
@Suite struct BesideALongGenerationServerTests {
    static func engine() -> ScriptedEngine {
        ScriptedEngine(slots: 2) { request in
            guard case .chat(let messages) = request.input, messages.last?.content == "long" else {
                return ScriptedEngine.answer(["short"])
            }
            return [.event(.text("a")), .stall, .event(ScriptedEngine.summary(tokens: 2))]
        }
    }

    static func chat(_ text: String) -> String {
        #"{"model":"alpha","stream":false,"messages":[{"role":"user","content":"\#(text)"}]}"#
    }

    @Test func shortRequestsAndAnUnloadAreNotStuckBehindALongGeneration() async throws {
        let directory = try ScriptedModels.directory(["alpha"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await PromptCacheRoutesTests.withRouter(directory: directory, make: { Self.engine() }) { client, loader in
            let long = Task { try await post(client, "/api/chat", Self.chat("long")) }
            #expect(try await HangGuard.eventually { loader.engines.first?.stalls == 1 })
            let engine = try #require(loader.engines.first)

            let title = try await HangGuard.within(2) {
                try await post(client, "/api/chat", Self.chat("a title for this chat"))
            }
            #expect(title.status == .ok)
            let embedding = try await HangGuard.within(2) {
                try await post(client, "/api/embed", #"{"model":"alpha","input":"tags"}"#)
            }
            #expect(embedding.status == .ok)
            let unload = try await HangGuard.within(2) {
                try await post(client, "/api/generate", #"{"model":"alpha","keep_alive":0}"#)
            }
            #expect(unload.status == .ok)
            #expect(try object(unload)["done_reason"] as? String == "unload")
            let loaded = try object(try await client.execute(uri: "/v1/models/loaded", method: .get))
            let model = try #require((loaded["data"] as? [[String: Any]])?.first)
            #expect(model["unloading"] as? Bool == true, "the status says it goes when its generation ends")
            #expect(!engine.isUnloaded)

            engine.releaseStalls()
            #expect(try await long.value.status == .ok)
            #expect(try await HangGuard.eventually { engine.isUnloaded })
        }
    }
}

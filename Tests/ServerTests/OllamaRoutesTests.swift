import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// The Ollama dialect over HTTP on the real model.
@Suite(.serialized) struct OllamaRoutesTests {
    private func lines(_ response: TestResponse) throws -> [[String: Any]] {
        let text = String(buffer: response.body)
        #expect(text.hasSuffix("\n"))
        #expect(!text.contains("data:") && !text.contains("\n\n"))
        return try text.split(separator: "\n").map { try object(String($0)) }
    }

    private func expectMetrics(_ final: [String: Any]) {
        for key in [
            "total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count",
            "eval_duration",
        ] {
            #expect(final[key] is Int, "\(key) missing")
        }
        let total = final["total_duration"] as? Int ?? 0
        let eval = final["eval_duration"] as? Int ?? 0
        // Nanoseconds: a generation of a few tokens takes well over a millisecond.
        #expect(eval > 1_000_000 && total >= eval)
    }

    @Test func identifiesAsOllama() async throws {
        try await withServer { client in
            let root = try await client.execute(uri: "/", method: .get)
            #expect(String(buffer: root.body) == "Ollama is running")
            #expect(try await client.execute(uri: "/", method: .head).status == .ok)
            let version = try #require(
                try object(try await client.execute(uri: "/api/version", method: .get))["version"] as? String)
            let parts = version.split(separator: ".").compactMap { Int($0) }
            #expect(parts.count == 3 && (parts[0] > 0 || parts[1] > 6 || (parts[1] == 6 && parts[2] >= 4)))
        }
    }

    @Test func listsAndShowsModelsWithoutLoadingThem() async throws {
        try await withServer { client in
            let tags = try object(try await client.execute(uri: "/api/tags", method: .get))
            let entry = try #require((tags["models"] as? [[String: Any]])?.first)
            #expect(
                entry["name"] as? String == "\(TestModel.name):latest"
                    && entry["model"] as? String == entry["name"] as? String)
            #expect((entry["size"] as? Int ?? 0) > 90_000_000)
            #expect((entry["digest"] as? String)?.count == 64)
            #expect(
                (entry["modified_at"] as? String).flatMap {
                    ISO8601DateFormatter().date(
                        from: $0.replacingOccurrences(of: #"\.\d+"#, with: "", options: .regularExpression))
                } != nil)
            let details = try #require(entry["details"] as? [String: Any])
            #expect(details["format"] as? String == "gguf" && details["family"] as? String == "llama")
            #expect(
                details["parameter_size"] as? String == "135M" && details["quantization_level"] as? String == "Q4_1")

            for body in [#"{"model":"\#(TestModel.name)"}"#, #"{"name":"\#(TestModel.name):latest"}"#] {
                let show = try object(try await post(client, "/api/show", body))
                let info = try #require(show["model_info"] as? [String: Any])
                #expect(info["llama.context_length"] as? Int == 8192)
                #expect((show["template"] as? String)?.contains("im_start") == true)
                #expect((show["parameters"] as? String)?.contains("num_ctx") == true)
                #expect((show["capabilities"] as? [String])?.contains("completion") == true)
            }
            #expect(
                (try object(try await client.execute(uri: "/api/ps", method: .get))["models"] as? [Any])?.isEmpty
                    == true)
            let missing = try await post(client, "/api/show", #"{"model":"nope"}"#)
            #expect(missing.status == .notFound)
            #expect((try object(missing)["error"] as? String)?.contains("not found") == true)
        }
    }

    @Test func streamsGenerateAsNDJSONWithMetricsInNanoseconds() async throws {
        try await withServer { client in
            let response = try await post(
                client, "/api/generate",
                #"{"model":"\#(TestModel.name):latest","prompt":"Why is the sky blue?","options":{"num_predict":6,"temperature":0}}"#
            )
            #expect(response.headers[.contentType] == "application/x-ndjson")
            let all = try lines(response)
            let final = try #require(all.last)
            #expect(
                all.dropLast().allSatisfy {
                    $0["done"] as? Bool == false && $0["response"] is String && $0["created_at"] is String
                })
            #expect(final["done"] as? Bool == true && final["done_reason"] as? String == "length")
            #expect(final["response"] as? String == "")
            #expect(final["eval_count"] as? Int == 6)
            expectMetrics(final)
            #expect((final["load_duration"] as? Int ?? 0) > 0)
        }
    }

    @Test func chatStreamsCarryTheMessageOnEveryLineAndNonStreamedRepliesAreWhole() async throws {
        try await withServer { client in
            let question =
                #"[{"role":"system","content":"You are a helpful assistant."},{"role":"user","content":"What is the capital of France?"}]"#
            // The streamed request comes last: its connection ends with it (the test client ignores
            // `Connection: close`, which real clients honour).
            let whole = try object(
                try await post(
                    client, "/api/chat",
                    #"{"model":"\#(TestModel.name)","messages":\#(question),"stream":false,"options":{"temperature":0,"num_predict":20}}"#
                ))
            expectMetrics(whole)
            let streamed = try lines(
                try await post(
                    client, "/api/chat",
                    #"{"model":"\#(TestModel.name)","messages":\#(question),"options":{"temperature":0,"num_predict":20}}"#
                ))
            #expect(streamed.allSatisfy { ($0["message"] as? [String: Any])?["role"] as? String == "assistant" })
            let text = streamed.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }.joined()
            let final = try #require(streamed.last)
            #expect(final["done_reason"] as? String != nil)
            expectMetrics(final)
            #expect((whole["message"] as? [String: Any])?["content"] as? String == text)
            #expect(text.contains("Paris"))
        }
    }

    @Test func anEmptyPromptLoadsAndKeepAliveZeroUnloads() async throws {
        try await withServer { client in
            let loaded = try object(try await post(client, "/api/generate", #"{"model":"\#(TestModel.name)"}"#))
            #expect(loaded["done_reason"] as? String == "load" && loaded["done"] as? Bool == true)
            let ps = try object(try await client.execute(uri: "/api/ps", method: .get))
            let running = try #require((ps["models"] as? [[String: Any]])?.first)
            #expect(running["name"] as? String == "\(TestModel.name):latest")
            #expect(running["expires_at"] is String && (running["size"] as? Int ?? 0) > 0)

            let unloaded = try object(
                try await post(client, "/api/chat", #"{"model":"\#(TestModel.name)","messages":[],"keep_alive":0}"#))
            #expect(unloaded["done_reason"] as? String == "unload")
            #expect((unloaded["message"] as? [String: Any])?["role"] as? String == "assistant")
            try await Task.sleep(for: .milliseconds(100))
            #expect(
                (try object(try await client.execute(uri: "/api/ps", method: .get))["models"] as? [Any])?.isEmpty
                    == true)
        }
    }

    @Test func aShortKeepAliveExpires() async throws {
        try await withServer { client in
            _ = try await post(
                client, "/api/generate",
                #"{"model":"\#(TestModel.name)","prompt":"Hi","keep_alive":"1s","stream":false,"options":{"num_predict":1}}"#
            )
            var models: [Any] = [1]
            for _ in 0..<50 where !models.isEmpty {
                try await Task.sleep(for: .milliseconds(100))
                models = try object(try await client.execute(uri: "/api/ps", method: .get))["models"] as? [Any] ?? []
            }
            #expect(models.isEmpty)
        }
    }

    @Test func refusesWhatItCannotDoWithOllamasErrorShape() async throws {
        try await withServer { client in
            let model = TestModel.name
            let cases = [
                #"{"model":"\#(model)","prompt":"x","options":{"temperature":"hot"}}"#,
                #"{"model":"\#(model)","prompt":"x","format":42}"#,
                #"{"model":"\#(model)","prompt":"x","think":true}"#,
                #"{"model":"\#(model)","prompt":"x","images":["aGVsbG8="]}"#,
                #"{"model":"\#(model)","prompt":"x","keep_alive":"3600"}"#,
                #"{"prompt":"x"}"#,
                "not json",
            ]
            for body in cases {
                let response = try await post(client, "/api/generate", body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try object(response).keys.sorted() == ["error"], "\(body)")
            }
            let tools = try await post(
                client, "/api/chat",
                #"{"model":"\#(model)","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}"#
            )
            #expect(tools.status == .badRequest)
            #expect(try await client.execute(uri: "/api/nothing", method: .get).status == .notFound)
        }
    }

    @Test func embedsWithTheCurrentAndTheLegacyRoute() async throws {
        try await withServer { client in
            let body = try object(
                try await post(client, "/api/embed", #"{"model":"\#(TestModel.name)","input":["a cat","a dog"]}"#))
            let vectors = try #require(body["embeddings"] as? [[Double]])
            #expect(vectors.count == 2 && vectors.allSatisfy { $0.count == 576 })
            let norm = vectors[0].reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - 1) < 0.001)
            #expect(body["total_duration"] is Int && body["load_duration"] is Int && body["prompt_eval_count"] is Int)
            let legacy = try object(
                try await post(client, "/api/embeddings", #"{"model":"\#(TestModel.name)","prompt":"a cat"}"#))
            let single = try #require(legacy["embedding"] as? [Double])
            #expect(zip(single, vectors[0]).allSatisfy { abs($0 - $1) < 1e-5 })
            #expect(
                try await post(client, "/api/embed", #"{"model":"\#(TestModel.name)","input":""}"#).status
                    == .badRequest)
        }
    }

    @Test func copiesAndDeletesModels() async throws {
        try await withServer { client in
            let copied = try await post(
                client, "/api/copy", #"{"source":"\#(TestModel.name):latest","destination":"my-copy"}"#)
            #expect(copied.status == .ok)
            let names = { () async throws -> [String] in
                let tags = try object(try await client.execute(uri: "/api/tags", method: .get))
                return (tags["models"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            }
            #expect(try await names().contains("my-copy:latest"))
            let answer = try await post(
                client, "/api/generate",
                #"{"model":"my-copy","prompt":"Hi","stream":false,"options":{"num_predict":2}}"#)
            #expect(answer.status == .ok)
            let deleted = try await client.execute(
                uri: "/api/delete", method: .delete, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"model":"my-copy:latest"}"#))
            #expect(deleted.status == .ok)
            #expect(try await !names().contains("my-copy:latest"))
            #expect(try await names().contains("\(TestModel.name):latest"))
            let missing = try await client.execute(
                uri: "/api/delete", method: .delete, body: ByteBuffer(string: #"{"model":"my-copy"}"#))
            #expect(missing.status == .notFound)
            #expect(try await post(client, "/api/copy", #"{"source":"nope","destination":"x"}"#).status == .notFound)
            #expect(
                try await post(client, "/api/copy", #"{"source":"\#(TestModel.name)","destination":"../x"}"#).status
                    == .badRequest)
        }
    }
}

import Crypto
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

/// `/api/create`, `/api/blobs` and `/api/status` through the real router on a scripted engine, which records
/// the requests it is given: what a derived model's defaults make of a request is visible there.
@Suite struct OllamaCreateTests {
    private struct Harness {
        var client: any TestClientProtocol
        var loader: ScriptedEngineLoader
        var directory: String
    }

    private func withHarness(maxBodyBytes: Int = 1 << 20, _ test: @escaping @Sendable (Harness) async throws -> Void)
        async throws
    {
        let loader = ScriptedEngineLoader { _ in ScriptedEngine(info: ScriptedEngine.info(canThink: true)) }
        let directory = try ScriptedModels.directory(["scripted"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let service = InferenceService(
            registry: ModelRegistry(directory: directory),
            manager: ModelManager(loaders: [loader], logger: Logger(label: "test")))
        let router = buildRouter(
            configuration: ServerConfiguration(maxBodyBytes: maxBodyBytes), service: service,
            readiness: Readiness(ready: true))
        try await Application(router: router).test(.router) { client in
            try await test(Harness(client: client, loader: loader, directory: directory))
        }
    }

    private func names(_ client: any TestClientProtocol) async throws -> [String] {
        let tags = try object(try await client.execute(uri: "/api/tags", method: .get))
        return (tags["models"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    }

    private func lastMessages(_ loader: ScriptedEngineLoader) -> [ChatMessage] {
        guard case .chat(let messages)? = loader.engines.last?.requests.last?.input else { return [] }
        return messages
    }

    @Test func aDerivedModelCarriesItsDefaultsOnTheBaseEngine() async throws {
        try await withHarness { harness in
            let client = harness.client
            let created = try await post(
                client, "/api/create",
                #"""
                {"model":"pirate","from":"scripted:latest","system":"Talk like a pirate.",
                 "parameters":{"temperature":0.25,"num_predict":7,"stop":["END"],"num_ctx":2048},
                 "messages":[{"role":"user","content":"Who are you?"},{"role":"assistant","content":"A pirate."}]}
                """#)
            #expect(created.status == .ok)
            let statuses = String(buffer: created.body).split(separator: "\n").compactMap {
                (try? object(String($0)))?["status"] as? String
            }
            #expect(statuses.last == "success" && statuses.count == 3)
            #expect(FileManager.default.fileExists(atPath: harness.directory + "/pirate.derived.json"))

            let tags = try object(try await client.execute(uri: "/api/tags", method: .get))
            let entry = try #require(
                (tags["models"] as? [[String: Any]])?.first { $0["name"] as? String == "pirate:latest" })
            let details = try #require(entry["details"] as? [String: Any])
            #expect(details["parent_model"] as? String == "scripted:latest")
            #expect((entry["capabilities"] as? [String])?.contains("completion") == true)
            #expect(details["context_length"] is Int)

            let show = try object(try await post(client, "/api/show", #"{"model":"pirate"}"#))
            #expect(show["system"] as? String == "Talk like a pirate.")
            let parameters = try #require(show["parameters"] as? String)
            #expect(parameters.contains("temperature") && parameters.contains("0.25") && parameters.contains("\"END\""))
            #expect((show["modelfile"] as? String)?.contains("SYSTEM") == true)
            #expect((show["messages"] as? [[String: Any]])?.count == 2)

            let chat = try await post(
                client, "/api/chat", #"{"model":"pirate","stream":false,"messages":[{"role":"user","content":"Hi"}]}"#)
            #expect(chat.status == .ok)
            #expect(try object(chat)["model"] as? String == "pirate")
            let request = try #require(harness.loader.engines.last?.requests.last)
            #expect(
                lastMessages(harness.loader).map(\.content) == [
                    "Talk like a pirate.", "Who are you?", "A pirate.", "Hi",
                ])
            #expect(request.sampling.temperature == 0.25 && request.maxTokens == 7 && request.stop == ["END"])

            // What the request sets wins; the base model shares the one loaded engine.
            _ = try await post(
                client, "/api/chat",
                #"""
                {"model":"pirate:latest","stream":false,"options":{"temperature":0.9},
                 "messages":[{"role":"system","content":"Be terse."},{"role":"user","content":"Hi"}]}
                """#)
            #expect(lastMessages(harness.loader).first?.content == "Be terse.")
            #expect(harness.loader.engines.last?.requests.last?.sampling.temperature == 0.9)
            _ = try await post(
                client, "/api/chat", #"{"model":"scripted","stream":false,"messages":[{"role":"user","content":"Hi"}]}"#
            )
            #expect(lastMessages(harness.loader).map(\.content) == ["Hi"])
            #expect(harness.loader.loads == 1)

            // A copy is another definition; deleting a derived model keeps its base (and its loaded engine).
            #expect(try await post(client, "/api/copy", #"{"source":"pirate","destination":"corsair"}"#).status == .ok)
            #expect(try await names(client).contains("corsair:latest"))
            let deleted = try await client.execute(
                uri: "/api/delete", method: .delete, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"model":"pirate:latest"}"#))
            #expect(deleted.status == .ok)
            let remaining = try await names(client)
            #expect(remaining.contains("scripted:latest") && remaining.contains("corsair:latest"))
            #expect(!remaining.contains("pirate:latest"))
            #expect(harness.loader.engines.last?.isUnloaded == false)
        }
    }

    @Test func createRefusesWhatItCannotMakeInOllamasShape() async throws {
        try await withHarness { harness in
            let cases: [(body: String, status: HTTPResponse.Status, says: String)] = [
                (
                    #"{"model":"x","from":"scripted","template":"{{ .System }} {{ .Prompt }}"}"#, .badRequest,
                    "Go template"
                ),
                (#"{"model":"x","from":"scripted","template":"{% for m in messages %}"}"#, .badRequest, "Jinja"),
                (#"{"model":"x","from":"scripted","quantize":"q4_K_M"}"#, .badRequest, "quantize"),
                (#"{"model":"x","from":"scripted","adapters":{"a.gguf":"sha256:00"}}"#, .badRequest, "adapters"),
                (#"{"model":"x","from":"nope"}"#, .notFound, "not found"),
                (#"{"model":"x"}"#, .badRequest, "from"),
                (#"{"model":"../x","from":"scripted"}"#, .badRequest, "invalid model name"),
                (#"{"model":"x","from":"scripted","parameters":{"num_ctx":0}}"#, .badRequest, "num_ctx"),
                (#"{"model":"x","from":"scripted","parameters":{"temperature":"hot"}}"#, .badRequest, "temperature"),
                (
                    #"{"model":"x","files":{"x.gguf":"sha256:\#(String(repeating: "a", count: 64))"}}"#, .badRequest,
                    "not found"
                ),
                (
                    #"{"model":"x","files":{"x.bin":"sha256:\#(String(repeating: "a", count: 64))"}}"#, .badRequest,
                    "gguf"
                ),
                (#"{"model":"x","files":{"x.gguf":"md5:1"}}"#, .badRequest, "digest"),
                (#"{"from":"scripted"}"#, .badRequest, "model is required"),
            ]
            for (body, status, says) in cases {
                let response = try await post(harness.client, "/api/create", body)
                #expect(response.status == status, "\(body)")
                let message = try object(response)["error"] as? String ?? ""
                #expect(message.localizedCaseInsensitiveContains(says), "\(body): \(message)")
            }
            // A Jinja template is kept; nothing was left behind by the refusals.
            let jinja = try await post(
                harness.client, "/api/create",
                #"{"model":"templated","from":"scripted","stream":false,"template":"{% for m in messages %}{{ m.content }}{% endfor %}"}"#
            )
            #expect(jinja.status == .ok)
            #expect(try object(jinja)["status"] as? String == "success")
            #expect(try await names(harness.client).sorted() == ["scripted:latest", "templated:latest"])
        }
    }

    @Test func blobsAreStreamedHashedAndMadeModels() async throws {
        try await withHarness(maxBodyBytes: 1024) { harness in
            let client = harness.client
            let bytes = Data(GGUFBuilder(keyCount: 0).bytes) + Data(repeating: 7, count: 4096)
            let hex = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            let wrongHex = String(repeating: "0", count: 64)
            #expect(try await client.execute(uri: "/api/blobs/sha256:\(hex)", method: .head).status == .notFound)
            #expect(try await client.execute(uri: "/api/blobs/sha256:xyz", method: .head).status == .badRequest)
            let mismatch = try await client.execute(
                uri: "/api/blobs/sha256:\(wrongHex)", method: .post, body: ByteBuffer(bytes: bytes))
            #expect(mismatch.status == .badRequest)
            #expect((try object(mismatch)["error"] as? String)?.contains("digest mismatch") == true)
            #expect(try await client.execute(uri: "/api/blobs/sha256:\(wrongHex)", method: .head).status == .notFound)
            let blobs = harness.directory + "/blobs"
            #expect((try? FileManager.default.contentsOfDirectory(atPath: blobs)) ?? [] == [])

            // Larger than the body limit: blobs are exempt, they never sit in memory.
            let upload = try await client.execute(
                uri: "/api/blobs/sha256:\(hex)", method: .post, headers: [.contentLength: "\(bytes.count)"],
                body: ByteBuffer(bytes: bytes))
            #expect(upload.status == .created)
            #expect(try await client.execute(uri: "/api/blobs/sha256:\(hex)", method: .head).status == .ok)
            #expect(try FileManager.default.contentsOfDirectory(atPath: blobs) == ["sha256-\(hex)"])

            let created = try await post(
                client, "/api/create", #"{"model":"uploaded","stream":false,"files":{"model.gguf":"sha256:\#(hex)"}}"#)
            #expect(created.status == .ok)
            #expect(try await names(client).contains("uploaded:latest"))
            #expect(FileManager.default.fileExists(atPath: harness.directory + "/uploaded.gguf"))

            let status = try object(try await client.execute(uri: "/api/status", method: .get))
            #expect((status["cloud"] as? [String: Any])?["disabled"] as? Bool == true)
        }
    }

    @Test func thinkLevelsAndNumCtxReachTheCore() async throws {
        try await withHarness { harness in
            let client = harness.client
            let chat = try await post(
                client, "/api/chat",
                #"{"model":"scripted","stream":false,"think":"high","options":{"num_ctx":8192},"messages":[{"role":"user","content":"Hi"}]}"#
            )
            #expect(chat.status == .ok)
            let request = try #require(harness.loader.engines.last?.requests.last)
            #expect(request.thinking == true)
            for body in [
                #"{"model":"scripted","think":"extreme","messages":[{"role":"user","content":"Hi"}]}"#,
                #"{"model":"scripted","think":1,"messages":[{"role":"user","content":"Hi"}]}"#,
                #"{"model":"scripted","options":{"num_ctx":-1},"messages":[{"role":"user","content":"Hi"}]}"#,
                #"{"model":"scripted","options":{"num_ctx":"big"},"prompt":"Hi"}"#,
            ] {
                let refused = try await post(client, body.contains("prompt") ? "/api/generate" : "/api/chat", body)
                #expect(refused.status == .badRequest, "\(body)")
                #expect(try object(refused)["error"] is String)
            }
        }
    }
}

import Conversation
import Foundation
import Hummingbird
import HummingbirdTesting
import InferenceCore
import InferenceTypes
import Logging
import Server
import TestSupport
import Testing

/// The real server on the real model, whose sidecar file gives it a hostile chat template.
@Suite(.serialized) struct TemplateBudgetServerTests {
    /// Builds the server over a models directory where the test model's sidecar holds `template`.
    static func withTemplate(
        _ template: String, _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let directory = try TestModel.makeModelsDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let model = (TestModel.modelPath as NSString).lastPathComponent
        let sidecar = try JSONSerialization.data(withJSONObject: ["chat_template": template])
        try sidecar.write(to: URL(fileURLWithPath: "\(directory)/\(model).json"))
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, modelsDirectory: directory, llamaLibraryPath: TestModel.libraryPath,
            contextLength: 1024, runnerExecutable: TestModel.serverExecutable)
        let app = try buildApplication(configuration: configuration, logger: logger)
        try await app.test(.live, test)
    }

    /// Sends a request on a connection of its own (the test client has one connection, used in turn).
    static func send(port: Int, _ uri: String, json: String? = nil) async throws -> TestClient.Response {
        let client = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(60)))
        client.connect()
        defer { Task { try? await client.shutdown() } }
        return try await client.execute(
            TestClient.Request(
                uri, method: json == nil ? .get : .post, authority: "localhost",
                headers: [.contentType: "application/json"], body: json.map { ByteBuffer(string: $0) }))
    }

    static func chat(_ content: String) -> String {
        #"{"model":"\#(TestModel.name)","messages":[{"role":"user","content":"\#(content)"}],"max_tokens":2}"#
    }

    @Test("renders slower than their time budget, more at once than cores, leave /health answering within 1 s")
    func slowTemplatesDoNotStarveTheServer() async throws {
        let slow = """
            {% if messages[-1].content == 'slow' %}{% set big = 'x' * 3000000 %}{% set ns = namespace(s='') %}\
            {% for i in range(100000) %}{% set ns.s = big ~ i %}{% endfor %}{% endif %}\
            {% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}<|assistant|>
            """
        try await Self.withTemplate(slow) { client in
            // Loaded (and its template checked on a small conversation) before the slow requests come.
            #expect(try await post(client, "/v1/chat/completions", Self.chat("hi")).status == .ok)
            let port = try #require(client.port)
            let requests = ProcessInfo.processInfo.activeProcessorCount + 2
            try await withThrowingTaskGroup(of: TestClient.Response.self) { group in
                for _ in 0..<requests {
                    group.addTask { try await Self.send(port: port, "/v1/chat/completions", json: Self.chat("slow")) }
                }
                for _ in 0..<500 where TemplateRenderPool.shared.runningRenders == 0 {
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(TemplateRenderPool.shared.runningRenders > 0)
                for _ in 0..<5 {
                    let start = ContinuousClock.now
                    let health = try await Self.send(port: port, "/health")
                    #expect(health.head.status == .ok)
                    #expect(ContinuousClock.now - start < .seconds(1))
                    try await Task.sleep(for: .milliseconds(200))
                }
                #expect(TemplateRenderPool.shared.runningRenders > 0)
                for try await response in group {
                    #expect(response.head.status == .badRequest)
                    let body = String(buffer: response.body ?? ByteBuffer())
                    #expect(body.contains("the model's chat template exceeded its time budget of 2 s"))
                }
            }
            // The renders ended with their requests (others' quick renders may come and go meanwhile).
            for _ in 0..<200 where TemplateRenderPool.shared.runningRenders > 0 {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(TemplateRenderPool.shared.runningRenders == 0)
        }
    }

    @Test("a budget violation is a 400 naming the budget in both dialects")
    func budgetErrorInBothDialects() async throws {
        let bomb = """
            {% if messages[-1].content == 'bomb' %}{% for i in range(100000) %}{{ 'x' * 100000 }}{% endfor %}\
            {% endif %}{% for m in messages %}{{ m.content }}{% endfor %}
            """
        try await Self.withTemplate(bomb) { client in
            let expected = "the model's chat template exceeded its output budget of 4 MiB (template line 1)"
            let openAI = try await post(client, "/v1/chat/completions", Self.chat("bomb"))
            #expect(openAI.status == .badRequest)
            #expect(try openAIError(openAI)["message"] as? String == expected)
            let ollama = try await post(
                client, "/api/chat",
                #"{"model":"\#(TestModel.name)","messages":[{"role":"user","content":"bomb"}],"stream":false}"#)
            #expect(ollama.status == .badRequest)
            #expect(try object(ollama)["error"] as? String == expected)
        }
    }

    @Test("a template that blows its budget on every conversation fails the model's load with a clear error")
    func loadFails() async throws {
        try await Self.withTemplate("{{ 'x' * 10**12 }}") { client in
            let response = try await post(client, "/v1/chat/completions", Self.chat("hi"))
            #expect(response.status == .internalServerError)
            let message = try #require(try openAIError(response)["message"] as? String)
            #expect(message.contains("failed to load model"))
            #expect(message.contains("exceeded its string size budget of 4 MiB"))
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdTesting
import InferenceCore
import InferenceTypes
import Logging
import ModelStore
import Synchronization
import TestSupport
import Testing

@testable import Server

@Suite(.serialized) struct AccessControlTests {
    static let key = "sk-test-0123456789"

    /// Every route of the real router, with a concrete path and a harmless body (`{}` fails validation before a
    /// model is touched), except the ones that stay open.
    static func guardedRoutes() -> [(method: HTTPRequest.Method, path: String)] {
        let service = InferenceService(
            registry: ModelRegistry(directory: "/nonexistent"),
            manager: ModelManager(loaders: [], logger: Logger(label: "routes")))
        let router = buildRouter(
            configuration: ServerConfiguration(), service: service, readiness: Readiness(ready: true))
        return router.routes.map { route in
            let path = route.path.description.split(separator: "/").map {
                $0.contains("*") || $0.contains("{") ? "x" : String($0)
            }
            return (route.method, "/" + path.joined(separator: "/"))
        }.filter {
            !(APIKeyMiddleware<AppRequestContext>.openPaths.contains($0.path) && [.get, .head].contains($0.method))
        }
    }

    @Test func everyRouteButTheOpenOnesNeedsAKeyInItsDialectsShape() async throws {
        let routes = Self.guardedRoutes()
        #expect(routes.count > 20)
        #expect(routes.contains { $0.method == .delete && $0.path == "/api/delete" })
        #expect(routes.contains { $0.method == .post && $0.path == "/v1/chat/completions" })
        try await withServer(access: AccessConfiguration(apiKeys: [Self.key, "second-key"])) { client in
            for (method, path) in routes {
                for headers: HTTPFields in [[:], [.authorization: "Bearer wrong-key"], [.xAPIKey: "wrong-key"]] {
                    let response = try await request(client, method, path, headers: headers)
                    #expect(response.status == .unauthorized, "\(method) \(path) \(headers)")
                    #expect(response.headers[.wwwAuthenticate] == "Bearer", "\(method) \(path)")
                    if method != .head { try expectKeyError(response, path: path) }
                }
                for headers: HTTPFields in [[.authorization: "Bearer \(Self.key)"], [.xAPIKey: "second-key"]] {
                    let response = try await request(client, method, path, headers: headers)
                    #expect(![.unauthorized, .forbidden].contains(response.status), "\(method) \(path) \(headers)")
                }
            }
            for path in ["/", "/health", "/v1/health"] {
                #expect(try await client.execute(uri: path, method: .get).status == .ok, "\(path)")
            }
            let unknown = try await client.execute(uri: "/v1/messages", method: .post)
            #expect(unknown.status == .unauthorized)
            let error = try #require(try object(unknown)["error"] as? [String: Any])
            #expect(try object(unknown)["type"] as? String == "error")
            #expect(error["type"] as? String == "authentication_error")
        }
    }

    @Test func withoutKeysEveryRouteIsOpenToLocalClients() async throws {
        try await withServer(access: AccessConfiguration()) { client in
            let response = try await client.execute(uri: "/v1/models", method: .get)
            #expect(response.status == .ok)
            let ollama = try await client.execute(
                uri: "/api/tags", method: .get, headers: [.authorization: "Bearer anything"])
            #expect(ollama.status == .ok)
        }
    }

    @Test func aCrossOriginSimplePostChangesNothing() async throws {
        try await withServer(access: AccessConfiguration()) { client in
            let evil: HTTPFields = [.origin: "https://evil.example", .contentType: "text/plain"]
            let body = ByteBuffer(string: #"{"model":"\#(TestModel.name)"}"#)
            let load = try await post(client, "/v1/models/load", #"{"model":"\#(TestModel.name)"}"#)
            #expect(load.status == .ok)

            let unload = try await client.execute(uri: "/v1/models/unload", method: .post, headers: evil, body: body)
            #expect(unload.status == .forbidden)
            #expect(try openAIError(unload)["message"] as? String ?? "" != "")
            let delete = try await client.execute(uri: "/api/delete", method: .delete, headers: evil, body: body)
            #expect(delete.status == .forbidden)
            #expect(try object(delete)["error"] is String)
            let chat = try await client.execute(uri: "/api/chat", method: .post, headers: evil, body: body)
            #expect(chat.status == .forbidden)

            let loaded = try object(try await client.execute(uri: "/v1/models/loaded", method: .get))
            #expect((loaded["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [TestModel.name])
            let tags = try object(try await client.execute(uri: "/api/tags", method: .get))
            #expect((tags["models"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func localAndConfiguredOriginsAreServedWithCORSHeaders() async throws {
        let access = AccessConfiguration(apiKeys: [Self.key], allowedOrigins: ["https://chat.example.org"])
        try await withServer(access: access) { client in
            for origin in ["http://localhost:3000", "http://127.0.0.1:8080", "https://chat.example.org", "app://x"] {
                let response = try await client.execute(
                    uri: "/api/tags", method: .get,
                    headers: [.origin: origin, .authorization: "Bearer \(Self.key)"])
                #expect(response.status == .ok, "\(origin)")
                #expect(response.headers[.accessControlAllowOrigin] == origin)
                #expect(response.headers[values: .vary].contains("Origin"))
            }
            let unauthorized = try await client.execute(
                uri: "/v1/models", method: .get, headers: [.origin: "https://chat.example.org"])
            #expect(unauthorized.status == .unauthorized)
            #expect(unauthorized.headers[.accessControlAllowOrigin] == "https://chat.example.org")
            let other = try await client.execute(
                uri: "/v1/models", method: .get,
                headers: [.origin: "https://other.example.org", .authorization: "Bearer \(Self.key)"])
            #expect(other.status == .forbidden)
            #expect(other.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func preflightsOfAllowedOriginsAreAnsweredWithoutAKey() async throws {
        try await withServer(access: AccessConfiguration(apiKeys: [Self.key])) { client in
            let response = try await client.execute(
                uri: "/v1/chat/completions", method: .options,
                headers: [
                    .origin: "http://localhost:5173", .accessControlRequestMethod: "POST",
                    .accessControlRequestHeaders: "authorization, content-type, x-stainless-os",
                ])
            #expect(response.status == .noContent)
            #expect(response.headers[.accessControlAllowOrigin] == "http://localhost:5173")
            #expect(response.headers[.accessControlAllowMethods]?.contains("POST") == true)
            let allowed = (response.headers[.accessControlAllowHeaders] ?? "").lowercased()
            for header in [
                "authorization", "content-type", "openai-beta", "openai-organization", "openai-project", "x-api-key",
                "anthropic-version", "anthropic-beta", "anthropic-dangerous-direct-browser-access",
                "x-stainless-os", "x-stainless-retry-count", "x-stainless-package-version",
            ] {
                #expect(allowed.contains(header), "\(header)")
            }
            #expect(response.headers[.accessControlMaxAge] != nil)
            let refused = try await client.execute(
                uri: "/v1/chat/completions", method: .options,
                headers: [.origin: "https://evil.example", .accessControlRequestMethod: "POST"])
            #expect(refused.status == .forbidden)
            #expect(refused.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test func aRebindingHostIsRefusedAndLocalNamesAreAnswered() async throws {
        try await withServer(access: AccessConfiguration(allowedHosts: ["llm.home.example"])) { client in
            let port = try #require(client.port)
            let raw = TestClient(host: "127.0.0.1", port: port)
            raw.connect()
            var answers: [String: HTTPResponse.Status] = [:]
            for (host, status) in [
                ("evil.example", HTTPResponse.Status.forbidden), ("evil.example:\(port)", .forbidden),
                ("127.0.0.1:\(port)", .ok), ("localhost:\(port)", .ok), ("[::1]:\(port)", .ok),
                ("llm.home.example", .ok),
            ] {
                for path in ["/health", "/api/tags"] {
                    let response = try await raw.execute(
                        TestClient.Request(path, method: .get, authority: host, headers: [.connection: "keep-alive"]))
                    answers["\(host) \(path)"] = response.status
                    #expect(response.status == status, "\(host) \(path)")
                }
            }
            try await raw.shutdown()
            #expect(answers.count == 12)
        }
    }

    @Test func warnsWhenListeningOnAllInterfacesWithoutAKey() async throws {
        let open = try await startUpLog(AccessConfiguration(), host: "0.0.0.0")
        let warning = try #require(open.first { $0.contains("without an API key") })
        #expect(warning.contains("/api/pull") && warning.contains("/api/delete") && warning.contains("chat"))
        let guarded = try await startUpLog(AccessConfiguration(apiKeys: [Self.key]), host: "0.0.0.0")
        #expect(!guarded.contains { $0.contains("without an API key") })
        let local = try await startUpLog(AccessConfiguration(), host: "127.0.0.1")
        #expect(!local.contains { $0.contains("without an API key") })
    }

    /// The warnings a server listening on `host` logs once it listens (the test framework always listens on
    /// localhost, so this runs the application itself).
    private func startUpLog(_ access: AccessConfiguration, host: String) async throws -> [String] {
        let directory = try TestModel.makeModelsDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let capture = LogCapture()
        let configuration = ServerConfiguration(
            host: host, port: 0, modelsDirectory: directory, llamaLibraryPath: TestModel.libraryPath,
            isolation: .none, access: access)
        let app = try buildApplication(configuration: configuration, logger: capture.logger)
        let running = Task { try await app.runService(gracefulShutdownSignals: []) }
        let deadline = ContinuousClock.now + .seconds(30)
        while !capture.messages(at: .info).contains(where: { $0.contains("listening on http://") }),
            ContinuousClock.now < deadline
        {
            try await Task.sleep(for: .milliseconds(20))
        }
        running.cancel()
        _ = await running.result
        #expect(capture.messages(at: .info).contains { $0.contains("listening on http://") })
        return capture.messages(at: .warning)
    }

    private func request(
        _ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, headers: HTTPFields
    ) async throws -> TestResponse {
        var headers = headers
        guard method == .post || method == .delete else {
            return try await client.execute(uri: path, method: method, headers: headers)
        }
        headers[.contentType] = "application/json"
        return try await client.execute(uri: path, method: method, headers: headers, body: ByteBuffer(string: "{}"))
    }

    private func expectKeyError(_ response: TestResponse, path: String) throws {
        let body = try object(response)
        if path.hasPrefix("/api/") {
            #expect(body["error"] is String, "\(path)")
        } else if path.hasPrefix("/v1/messages") {
            #expect(body["type"] as? String == "error", "\(path)")
            #expect((body["error"] as? [String: Any])?["type"] as? String == "authentication_error", "\(path)")
        } else {
            let error = try openAIError(response)
            #expect(error["type"] as? String == "invalid_request_error", "\(path)")
            #expect(error["code"] as? String == "invalid_api_key", "\(path)")
        }
    }
}

/// Collects what a logger logs.
private final class LogCapture: Sendable {
    private let entries = Mutex<[(Logger.Level, String)]>([])

    var logger: Logger {
        Logger(label: "capture") { _ in Handler(capture: self) }
    }

    func messages(at level: Logger.Level) -> [String] {
        entries.withLock { $0.filter { $0.0 == level }.map(\.1) }
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.entries.withLock { $0.append((event.level, event.message.description)) }
        }
    }
}

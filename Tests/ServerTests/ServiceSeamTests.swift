import Foundation
import Hummingbird
import HummingbirdTesting
import InferenceCore
import InferenceTypes
import Logging
import OrderedJSON
import Testing

@testable import Server

/// A service with one model file and one loaded model, and no engine at all: what a controller can see of the
/// core is only what `InferenceServing` offers. Pulls fail with the kind they are given.
private struct StubService: InferenceServing {
    static let model = ModelDescriptor(
        id: "stub-model", path: "/models/stub-model.gguf", format: .gguf, sizeBytes: 1234,
        modifiedAt: Date(timeIntervalSince1970: 1_700_000_000))
    static let info = ModelInfo(
        architecture: "llama", trainedContextLength: 8192, contextLength: 2048, parameterCount: 135_000_000,
        weightsBytes: 1000, chatTemplate: nil, quantization: "Q4_0", kvCacheBytes: 200)

    var pullFailure: PullFailure = .remoteFailed

    func availableModels() -> [ModelDescriptor] { [Self.model] }

    func model(named name: String) throws(InferenceError) -> ModelDescriptor {
        guard name == Self.model.id else { throw .modelNotFound(name) }
        return Self.model
    }

    func loadedModels() async -> [LoadedModelStatus] {
        [
            LoadedModelStatus(
                descriptor: Self.model, info: Self.info, keepAlive: .forever, activeRequests: 2,
                loadNanos: 5_000_000, runnerProcessID: 4242, footprintBytes: 1200)
        ]
    }

    func load(_ name: String, keepAlive: KeepAlive?) async throws
        -> (model: ModelDescriptor, info: ModelInfo, loadNanos: UInt64)
    {
        (try model(named: name), Self.info, 0)
    }

    func unload(_ model: ModelDescriptor) async -> Bool { model == Self.model }
    func unloadAll() async {}

    func generate(_ request: GenerationRequest, keepAlive: KeepAlive?) async throws -> Generation {
        throw InferenceError.invalidRequest("the stub does not generate")
    }

    func embed(model name: String, inputs: [String], truncate: Bool, keepAlive: KeepAlive?) async throws
        -> (model: ModelDescriptor, result: EmbeddingResult, loadNanos: UInt64)
    {
        throw InferenceError.invalidRequest("the stub does not embed")
    }

    func applyTemplate(
        model name: String?, messages: [ChatMessage], tools: [JSONValue], variables: [String: JSONValue]
    ) async throws -> String {
        "<prompt of \(messages.count) messages>"
    }

    func tokenize(model name: String?, text: String, addSpecial: Bool, parseSpecial: Bool) async throws -> [Int] {
        text.utf8.map(Int.init)
    }

    func detokenize(model name: String?, tokens: [Int]) async throws -> String {
        String(decoding: tokens.map { UInt8(clamping: $0) }, as: UTF8.self)
    }

    func pull(_ reference: String, progress: @Sendable (PullProgress) async -> Void) async throws
        -> ModelDescriptor
    {
        throw InferenceError.pullFailed(reason: "cannot pull \(reference)", kind: pullFailure)
    }

    func copy(_ model: ModelDescriptor, to name: String) throws(InferenceError) -> ModelDescriptor { model }
    func delete(_ model: ModelDescriptor) async throws(InferenceError) {}

    func details(of model: ModelDescriptor) -> ModelDetails {
        ModelDetails(
            family: "stub", parameterSize: "1M", quantization: "Q8_0", contextLength: 64, embeddingLength: nil,
            chatTemplate: nil, problem: nil)
    }
}

/// The dialects' controllers run on any `InferenceServing`: the real router answers from a stub service that
/// has no engine, and each dialect chooses the status of a failed pull from its kind.
@Suite struct ServiceSeamTests {
    private func withRouter(
        _ service: StubService = StubService(),
        _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let router = buildRouter(
            configuration: ServerConfiguration(), service: service, readiness: Readiness(ready: true))
        var logger = Logger(label: "seam")
        logger.logLevel = .warning
        try await Application(router: router, logger: logger).test(.router, test)
    }

    @Test func listingsComeFromTheServiceWithoutAnEngine() async throws {
        try await withRouter { client in
            let tags = try object(try await client.execute(uri: "/api/tags", method: .get))
            let tag = try #require((tags["models"] as? [[String: Any]])?.first)
            #expect(tag["name"] as? String == "stub-model:latest" && tag["size"] as? Int == 1234)

            let running = try object(try await client.execute(uri: "/api/ps", method: .get))
            let entry = try #require((running["models"] as? [[String: Any]])?.first)
            #expect(entry["size"] as? Int == 1200 && entry["context_length"] as? Int == 2048)

            let loaded = try object(try await client.execute(uri: "/v1/models/loaded", method: .get))
            let model = try #require((loaded["data"] as? [[String: Any]])?.first)
            #expect(model["id"] as? String == "stub-model" && model["runner_pid"] as? Int == 4242)
            #expect(model["active_requests"] as? Int == 2 && model["size_bytes"] as? Int == 1200)
            #expect(model["keep_alive"] as? String == KeepAlive.forever.description)

            let available = try object(try await client.execute(uri: "/v1/models/available", method: .get))
            #expect((available["data"] as? [[String: Any]])?.first?["loaded"] as? Bool == true)

            let openAI = try object(try await client.execute(uri: "/v1/models", method: .get))
            #expect((openAI["data"] as? [[String: Any]])?.first?["id"] as? String == "stub-model")

            let unloaded = try object(try await post(client, "/v1/models/unload", "{}"))
            #expect(unloaded["unloaded"] as? [String] == ["stub-model"])

            let tokens = try object(try await post(client, "/tokenize", #"{"content":"hi"}"#))
            #expect(tokens["tokens"] as? [Int] == [104, 105])
        }
    }

    @Test func aCoreErrorKeepsItsStatusInEachDialect() async throws {
        try await withRouter { client in
            let ollama = try await post(client, "/api/show", #"{"model":"nope"}"#)
            #expect(ollama.status == .notFound)
            #expect(try object(ollama)["error"] as? String == "model \"nope\" not found, try pulling it first")
            let openAI = try await client.execute(uri: "/v1/models/nope", method: .get)
            #expect(openAI.status == .notFound)
            #expect(try openAIError(openAI)["code"] as? String == "model_not_found")
            let generate = try await post(client, "/api/generate", #"{"model":"stub-model","prompt":"hi"}"#)
            #expect(generate.status == .badRequest)
        }
    }

    @Test(arguments: [
        (PullFailure.badReference, 400), (.notFound, 404), (.sourceRefused, 403), (.inProgress, 409),
        (.insufficientStorage, 507), (.remoteFailed, 502), (.unsupported, 501), (.internalFailure, 500),
    ])
    func aFailedPullIsAnsweredWithTheStatusOfItsKind(failure: PullFailure, status: Int) async throws {
        try await withRouter(StubService(pullFailure: failure)) { client in
            let response = try await post(client, "/api/pull", #"{"model":"owner/repo:file.gguf","stream":false}"#)
            #expect(response.status.code == status, "\(failure)")
            #expect(try object(response)["error"] as? String == "cannot pull owner/repo:file.gguf")
        }
    }
}

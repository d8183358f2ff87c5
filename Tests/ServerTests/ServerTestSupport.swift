import Foundation
import Hummingbird
import HummingbirdTesting
import InferenceCore
import Logging
import ModelStore
import TestSupport
import Testing

@testable import Server

extension ServerConfiguration.Isolation {
    /// Where the server suites keep their models unless a test says: in the server process, or in runner
    /// processes when `ROCKCHIP_LLAMA_TEST_ISOLATION=process` (`make test` runs the suites both ways).
    static var forTests: Self {
        ProcessInfo.processInfo.environment["ROCKCHIP_LLAMA_TEST_ISOLATION"] == "process" ? .process : .none
    }
}

/// Builds the real server on the real model, in a fresh models directory, listening on a free port.
/// Models live in the server process unless `isolation` (or the test run, see `Isolation.forTests`) asks for
/// runner processes.
func withServer(
    contextLength: Int = 1024, maxBodyBytes: Int = 1 << 20, isolation: ServerConfiguration.Isolation = .forTests,
    maxLoadedModels: Int = 3, access: AccessConfiguration = AccessConfiguration(),
    _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let directory = try TestModel.makeModelsDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let configuration = ServerConfiguration(
        host: "127.0.0.1", port: 0, modelsDirectory: directory, llamaLibraryPath: TestModel.libraryPath,
        contextLength: contextLength, maxBodyBytes: maxBodyBytes, isolation: isolation,
        runnerExecutable: TestModel.serverExecutable, maxLoadedModels: maxLoadedModels, access: access)
    let app = try buildApplication(configuration: configuration, logger: logger)
    try await app.test(.live, test)
}

/// Builds the real server serving simulated `.rkllm` models through the RKLLM simulator of `layout`.
func withSimulatorServer(
    layout: String,
    models: [(fileName: String, platform: String)] = [
        ("Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm", "rk3588")
    ], isolation: ServerConfiguration.Isolation = .forTests, reasoningField: String = "reasoning_content",
    _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    Simulator.prepare()
    let directory = try Simulator.makeDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    for model in models { try Simulator.writeModel(in: directory, fileName: model.fileName, platform: model.platform) }
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let configuration = ServerConfiguration(
        host: "127.0.0.1", port: 0, modelsDirectory: directory, llamaLibraryPath: TestModel.libraryPath,
        rkllmLibraryPath: Simulator.libraryPath(layout), isolation: isolation,
        runnerExecutable: TestModel.serverExecutable, reasoningField: reasoningField)
    let app = try buildApplication(configuration: configuration, logger: logger)
    try await app.test(.live, test)
}

/// Runs the real router on a scripted engine that answers every request with `steps`: no model, no socket,
/// milliseconds a test.
func withScriptedRouter(
    _ steps: [ScriptedEngine.Step], canThink: Bool = true,
    _ test: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let loader = ScriptedEngineLoader { _ in
        ScriptedEngine(info: ScriptedEngine.info(canThink: canThink)) { _ in steps }
    }
    let service = InferenceService(
        registry: ModelRegistry(directory: try ScriptedModels.directory(["scripted"])),
        manager: ModelManager(loaders: [loader], logger: Logger(label: "test")))
    let router = buildRouter(configuration: ServerConfiguration(), service: service, readiness: Readiness(ready: true))
    try await Application(router: router).test(.router, test)
}

/// Posts a JSON body.
func post(_ client: any TestClientProtocol, _ uri: String, _ json: String) async throws -> TestResponse {
    try await client.execute(
        uri: uri, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
}

/// The body parsed as a JSON object.
func object(_ response: TestResponse) throws -> [String: Any] {
    let value = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
    guard let object = value as? [String: Any] else { throw JSONShapeError(body: String(buffer: response.body)) }
    return object
}

/// The `data:` payloads of an SSE body, in order.
func events(_ response: TestResponse) -> [String] {
    String(buffer: response.body).components(separatedBy: "\n\n").filter { !$0.isEmpty }.map {
        $0.hasPrefix("data: ") ? String($0.dropFirst(6)) : "NOT-DATA:\($0)"
    }
}

/// A JSON payload parsed as an object.
func object(_ payload: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any] else {
        throw JSONShapeError(body: payload)
    }
    return object
}

/// The OpenAI error object of a response, checking its shape.
func openAIError(_ response: TestResponse) throws -> [String: Any] {
    let error = try #require(try object(response)["error"] as? [String: Any])
    #expect(error["message"] is String)
    #expect(error["type"] is String)
    #expect(error.keys.contains("param") && error.keys.contains("code"))
    return error
}

struct JSONShapeError: Error {
    var body: String
}

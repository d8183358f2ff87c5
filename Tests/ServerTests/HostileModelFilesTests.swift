import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Server
import TestSupport
import Testing

/// A models directory that holds more than models: the server lists and serves the good ones, never blocks or
/// crashes on the rest, and names each bad file's problem when a client asks for it.
@Suite(.serialized) struct HostileModelFilesTests {
    private static let realFile = (TestModel.modelPath as NSString).lastPathComponent

    /// The real server over a models directory with the test model and whatever `prepare` adds to it.
    private func withServer(
        isolation: ServerConfiguration.Isolation = .none, prepare: (String) throws -> Void,
        _ test: @escaping @Sendable (any TestClientProtocol, String) async throws -> Void
    ) async throws {
        let directory = try TestModel.makeModelsDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try prepare(directory)
        var logger = Logger(label: "test")
        logger.logLevel = .error
        let configuration = ServerConfiguration(
            host: "127.0.0.1", port: 0, modelsDirectory: directory, llamaLibraryPath: TestModel.libraryPath,
            contextLength: 1024, isolation: isolation, runnerExecutable: TestModel.serverExecutable)
        let app = try buildApplication(configuration: configuration, logger: logger)
        try await app.test(.live) { client in try await test(client, directory) }
    }

    /// A 2.4 MB GGUF file whose one array nests 200000 deep, a FIFO and a directory named like models, and a
    /// link to the real model whose sidecar is a FIFO.
    private static func addHostileFiles(to directory: String) throws {
        var deep = GGUFBuilder(keyCount: 1)
        deep.nestedArrays("evil", depth: 200_000)
        try deep.write(to: directory + "/deep.gguf")
        try HostileFiles.makeFIFO(at: directory + "/x.gguf")
        try FileManager.default.createDirectory(atPath: directory + "/y.gguf", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/other.gguf", withDestinationPath: TestModel.modelPath)
        try HostileFiles.makeFIFO(at: directory + "/other.gguf.json")
    }

    private static func fifos(in directory: String) -> [String] {
        [directory + "/x.gguf", directory + "/other.gguf.json"]
    }

    private func message(_ response: TestResponse) throws -> String {
        let error = try object(response)["error"]
        return (error as? String) ?? ((error as? [String: Any])?["message"] as? String) ?? ""
    }

    @Test func theListingSkipsWhatIsNotAFileAndReturnsAtOnce() async throws {
        try await withServer(prepare: Self.addHostileFiles) { client, directory in
            let tags = try await HostileFiles.finishes(within: 1, releasing: Self.fifos(in: directory)) {
                try await client.execute(uri: "/api/tags", method: .get)
            }
            #expect(tags.inTime)
            #expect(tags.value.status == .ok)
            let names = (try object(tags.value)["models"] as? [[String: Any]] ?? []).compactMap {
                $0["name"] as? String
            }
            #expect(Set(names) == ["\(TestModel.name):latest", "deep:latest", "other:latest"])
            let models = try await HostileFiles.finishes(within: 1, releasing: Self.fifos(in: directory)) {
                try await client.execute(uri: "/v1/models", method: .get)
            }
            #expect(models.inTime)
            let ids = (try object(models.value)["data"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            #expect(Set(ids) == [TestModel.name, "deep", "other"])
        }
    }

    @Test func eachBadFileGivesItsReasonAndTheGoodModelStillAnswers() async throws {
        try await withServer(prepare: Self.addHostileFiles) { client, directory in
            let deep = try await post(client, "/api/generate", #"{"model":"deep","prompt":"Hi","stream":false}"#)
            #expect(deep.status == .internalServerError)
            #expect(try message(deep).contains("deep.gguf: GGUF header array nested deeper than 64 levels"))

            let fifo = try await HostileFiles.finishes(within: 1, releasing: Self.fifos(in: directory)) {
                try await post(
                    client, "/v1/chat/completions", #"{"model":"x","messages":[{"role":"user","content":"Hi"}]}"#)
            }
            #expect(fifo.inTime)
            #expect(try message(fifo.value).contains("x.gguf: not a regular file (it is a FIFO)"))
            let directoryModel = try await post(client, "/api/show", #"{"model":"y"}"#)
            #expect(try message(directoryModel).contains("y.gguf: not a regular file (it is a directory)"))

            let sidecar = try await HostileFiles.finishes(within: 30, releasing: Self.fifos(in: directory)) {
                try await post(client, "/api/generate", #"{"model":"other","prompt":"Hi","stream":false}"#)
            }
            #expect(sidecar.inTime)
            #expect(try message(sidecar.value).contains("other.gguf.json: not a regular file (it is a FIFO)"))

            let good = try await post(
                client, "/api/generate",
                #"{"model":"\#(TestModel.name)","prompt":"Hi","stream":false,"options":{"num_predict":2}}"#)
            #expect(good.status == .ok)
            for response in [deep, fifo.value, directoryModel, sidecar.value] {
                #expect(!String(buffer: response.body).contains(directory))
            }
        }
    }

    @Test func aRunnerProcessGivesTheSameReasonForABadHeader() async throws {
        try await withServer(isolation: .process, prepare: Self.addHostileFiles) { client, _ in
            let deep = try await post(client, "/api/generate", #"{"model":"deep","prompt":"Hi","stream":false}"#)
            #expect(deep.status == .internalServerError)
            #expect(try message(deep).contains("deep.gguf: GGUF header array nested deeper than 64 levels"))
        }
    }

    @Test func showNamesTheFileNotItsPath() async throws {
        try await withServer(prepare: { _ in }) { client, directory in
            let show = try await post(client, "/api/show", #"{"model":"\#(TestModel.name)"}"#)
            #expect(show.status == .ok)
            let body = String(buffer: show.body)
            #expect(!body.contains(directory) && !body.contains(TestModel.modelPath))
            #expect((try object(show)["modelfile"] as? String)?.contains("FROM \(Self.realFile)\n") == true)
        }
    }

    @Test func copyingOntoADanglingLinkOrADirectoryIsAClear400() async throws {
        try await withServer(prepare: { directory in
            try FileManager.default.createSymbolicLink(
                atPath: directory + "/taken.gguf", withDestinationPath: directory + "/gone.gguf")
            try FileManager.default.createDirectory(atPath: directory + "/dir.gguf", withIntermediateDirectories: false)
        }) { client, directory in
            let link = try await post(
                client, "/api/copy", #"{"source":"\#(TestModel.name)","destination":"taken"}"#)
            #expect(link.status == .badRequest)
            #expect(try message(link).contains("taken.gguf already exists in the models directory as a symbolic link"))
            let folder = try await post(
                client, "/api/copy", #"{"source":"\#(TestModel.name)","destination":"dir"}"#)
            #expect(folder.status == .badRequest)
            #expect(try message(folder).contains("a directory named dir.gguf already exists"))
            for response in [link, folder] {
                let body = String(buffer: response.body)
                #expect(
                    !body.contains("NSCocoaErrorDomain") && !body.contains("Error Domain") && !body.contains(directory))
            }
        }
    }
}

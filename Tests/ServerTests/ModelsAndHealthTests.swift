import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

@Suite(.serialized) struct ModelsAndHealthTests {
    @Test func healthIsOK() async throws {
        try await withServer { client in
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .ok)
            #expect(try object(response)["status"] as? String == "ok")
        }
    }

    @Test func listsTheModelsOfTheDirectory() async throws {
        try await withServer { client in
            let body = try object(try await client.execute(uri: "/v1/models", method: .get))
            #expect(body["object"] as? String == "list")
            let data = try #require(body["data"] as? [[String: Any]])
            #expect(data.map { $0["id"] as? String } == [TestModel.name])
            #expect(data.first?["object"] as? String == "model")
            #expect(data.first?["created"] is Int)
            #expect(data.first?["owned_by"] is String)
        }
    }

    @Test func getsOneModelByNameOrFileName() async throws {
        try await withServer { client in
            for name in [TestModel.name, "SmolLM2-135M-Instruct.Q4_1.gguf"] {
                let response = try await client.execute(uri: "/v1/models/\(name)", method: .get)
                #expect(response.status == .ok)
                #expect(try object(response)["id"] as? String == TestModel.name)
            }
        }
    }

    @Test func managesModelsThroughTheOriginalDesignsRoutes() async throws {
        try await withServer { client in
            let available = try object(try await client.execute(uri: "/v1/models/available", method: .get))
            let entry = try #require((available["data"] as? [[String: Any]])?.first)
            #expect(entry["id"] as? String == TestModel.name && entry["loaded"] as? Bool == false)
            #expect(entry["context_length"] as? Int == 8192 && (entry["size_bytes"] as? Int ?? 0) > 90_000_000)

            let load = try object(try await post(client, "/v1/models/load", #"{"model":"\#(TestModel.name)"}"#))
            #expect(load["loaded"] as? Bool == true && load["already_loaded"] as? Bool == false)
            let again = try object(try await post(client, "/v1/models/load", #"{"model":"\#(TestModel.name)"}"#))
            #expect(again["already_loaded"] as? Bool == true)
            let loaded = try object(try await client.execute(uri: "/v1/models/loaded", method: .get))
            #expect((loaded["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [TestModel.name])

            let unloaded = try object(try await client.execute(uri: "/v1/models/unload", method: .post))
            #expect(unloaded["unloaded"] as? [String] == [TestModel.name])
            try await Task.sleep(for: .milliseconds(100))
            let after = try object(try await client.execute(uri: "/v1/models/loaded", method: .get))
            #expect((after["data"] as? [Any])?.isEmpty == true)
            #expect(try await post(client, "/v1/models/load", #"{"model":"nope"}"#).status == .notFound)
        }
    }
}

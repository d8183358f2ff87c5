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
}

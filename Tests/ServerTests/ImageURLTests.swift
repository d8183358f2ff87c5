import FoundationEssentials
import Hummingbird
import HummingbirdTesting
import InferenceTypes
import TestSupport
import Testing

@testable import Server

/// Images named by URL: refused unless the server fetches them; fetched from a local server with the bounds.
@Suite struct ImageURLTests {
    @Test func anHTTPImageURLIsA400WhenTheServerDoesNotFetch() async throws {
        try await withScriptedRouter(ScriptedEngine.answer(["x"])) { client in
            let response = try await post(
                client, "/v1/chat/completions",
                #"{"model":"scripted","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://127.0.0.1:9/x.png"}}]}]}"#
            )
            #expect(response.status == .badRequest)
            #expect(String(buffer: response.body).contains("--allow-image-urls"))
        }
    }

    @Test func theFetcherReadsAnImageAndNamesTheHostOfAFailedAnswer() async throws {
        let image = [UInt8](repeating: 7, count: 3000)
        let router = Router()
        router.get("red.png") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "image/png"], body: .init(byteBuffer: ByteBuffer(bytes: image)))
        }
        try await Application(router: router).test(.live) { client in
            let base = "http://127.0.0.1:\(client.port ?? 0)"
            let fetched = try await ImageURLFetcher().fetch(base + "/red.png")
            #expect(fetched.bytes == image)
            await #expect {
                _ = try await ImageURLFetcher().fetch(base + "/gone.png")
            } throws: { error in
                guard case .invalidRequest(let message) = error as? InferenceError else { return false }
                return message.contains("127.0.0.1") && message.contains("404")
            }
            await #expect {
                _ = try await ImageURLFetcher(maxBytes: 1000).fetch(base + "/red.png")
            } throws: { error in
                guard case .invalidRequest(let message) = error as? InferenceError else { return false }
                return message.contains("sent more than")
            }
        }
    }
}

import FoundationEssentials
import InferenceTypes
import Testing

@testable import OpenAIAPI

/// The memory of recent responses that `previous_response_id` reads: bounded by count and by bytes, oldest
/// out first, so a busy server's memory stays bounded.
@Suite struct ResponseStoreTests {
    private static func response(_ id: String, text: String = "Hello!") throws -> ResponseObject {
        let body = try JSONRequestDecoding.decode(ResponsesRequest.self, from: Data(#"{"model":"m","input":"x"}"#.utf8))
        return ResponseObject(
            id: id, createdAt: 1, model: "m", status: "completed",
            output: [.message(id: "msg_\(id)", text: text, status: "completed")], settings: ResponseSettings(body))
    }

    @Test func keepsTheNewestResponsesUpToTheCount() throws {
        let store = ResponseStore(maxEntries: 3)
        for index in 0..<5 {
            store.put(try Self.response("r\(index)"), conversation: [ChatMessage(role: .user, content: "\(index)")])
        }
        #expect(store.count == 3)
        #expect(store.entry("r0") == nil && store.entry("r1") == nil)
        #expect(store.entry("r4")?.conversation == [ChatMessage(role: .user, content: "4")])
        #expect(store.entry("r2")?.response.id == "r2")
    }

    @Test func dropsTheOldestWhenTheBytesRunOut() throws {
        let store = ResponseStore(maxEntries: 64, maxBytes: 10_000)
        let long = String(repeating: "x", count: 3000)
        for index in 0..<6 {
            store.put(
                try Self.response("r\(index)", text: long), conversation: [ChatMessage(role: .user, content: long)])
        }
        #expect(store.count >= 1 && store.count < 6)
        #expect(store.entry("r5") != nil && store.entry("r0") == nil)
        // One larger than the whole bound is not kept, and takes nothing else with it.
        let huge = String(repeating: "y", count: 20_000)
        store.put(try Self.response("big"), conversation: [ChatMessage(role: .user, content: huge)])
        #expect(store.entry("big") == nil && store.entry("r5") != nil)
    }

    @Test func removesOnRequest() throws {
        let store = ResponseStore()
        store.put(try Self.response("r"), conversation: [])
        #expect(store.remove("r"))
        #expect(!store.remove("r"))
        #expect(store.entry("r") == nil && store.count == 0)
    }
}

import Foundation
import InferenceTypes
import Testing

@testable import OpenAIAPI

@Suite struct RerankWireTests {
    private func request(_ json: String) throws -> RerankRequest {
        try JSONDecoder().decode(RerankRequest.self, from: Data(json.utf8))
    }

    private func rendered(topN: Int?, returnDocuments: Bool) throws -> [String: Any] {
        let result = RerankResult(scores: [0.2, 0.9, 0.2, 0.6], promptTokens: 40, totalNanos: 1)
        let response = RerankResponse(
            model: "r", documents: ["a", "b", "c", "d"], result: result, topN: topN, returnDocuments: returnDocuments)
        let data = try JSONEncoder().encode(response)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test func documentsAreStringsOrObjectsWithText() throws {
        let body = try request(#"{"model":"r","query":"q","documents":["a",{"text":"b","title":"t"}],"top_n":1}"#)
        #expect(try body.validated() == ["a", "b"])
        #expect(body.topN == 1 && body.returnDocuments == nil)
    }

    @Test func resultsAreSortedByScoreWithTiesInDocumentOrderAndCutToTopN() throws {
        let all = try rendered(topN: nil, returnDocuments: false)
        #expect(all["object"] as? String == "list" && all["model"] as? String == "r")
        let results = try #require(all["results"] as? [[String: Any]])
        #expect(results.map { $0["index"] as? Int } == [1, 3, 0, 2])
        #expect(results.map { $0["relevance_score"] as? Double } == [0.9, 0.6, 0.2, 0.2])
        #expect(results.allSatisfy { $0["document"] == nil })
        #expect((all["usage"] as? [String: Any])?["total_tokens"] as? Int == 40)
        let top = try #require(try rendered(topN: 2, returnDocuments: true)["results"] as? [[String: Any]])
        #expect(top.map { ($0["document"] as? [String: Any])?["text"] as? String } == ["b", "d"])
    }

    @Test func invalidRequestsNameTheirField() throws {
        let cases: [(String, String)] = [
            (#"{"model":"","query":"q","documents":["a"]}"#, "model"),
            (#"{"model":"r","query":"","documents":["a"]}"#, "query"),
            (#"{"model":"r","query":"q","documents":[]}"#, "documents"),
            (#"{"model":"r","query":"q","documents":["a",""]}"#, "documents"),
            (#"{"model":"r","query":"q","documents":["a"],"top_n":-1}"#, "top_n"),
        ]
        for (json, param) in cases {
            #expect(performing: { _ = try request(json).validated() }, throws: { ($0 as? OpenAIError)?.param == param })
        }
        let many = try request(
            #"{"model":"r","query":"q","documents":[\#(Array(repeating: #""d""#, count: 1025).joined(separator: ","))]}"#
        )
        #expect(throws: OpenAIError.self) { try many.validated() }
    }
}

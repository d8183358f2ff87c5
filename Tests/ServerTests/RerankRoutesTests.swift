import Foundation
import Hummingbird
import HummingbirdTesting
import TestSupport
import Testing

/// `POST /v1/rerank` (and `/rerank`, `/v1/reranking`, `/reranking`) and the embeddings routes on the simulator's
/// embedding model and reranker.
@Suite(.serialized) struct RerankRoutesTests {
    static let models: [(fileName: String, platform: String)] = [
        ("Qwen3-Embedding-0.6B-w8a8-rk3588.rkllm", "rk3588"), ("Qwen3-Reranker-0.6B-w8a8-rk3588.rkllm", "rk3588"),
        ("Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm", "rk3588"),
    ]
    static let reranker = "qwen3-reranker-0.6b"
    static let embedder = "qwen3-embedding-0.6b"
    static let documents = #"["low [[score=0.12]]", {"text": "high [[score=0.83]]"}, "middle [[score=0.5]]"]"#

    private func rerank(_ client: any TestClientProtocol, _ path: String = "/v1/rerank", _ extra: String = "")
        async throws -> TestResponse
    {
        try await post(
            client, path, #"{"model":"\#(Self.reranker)","query":"which","documents":\#(Self.documents)\#(extra)}"#)
    }

    @Test(arguments: Simulator.layouts)
    func ranksByScoreOnEveryPathCutToTopN(layout: String) async throws {
        try await withSimulatorServer(layout: layout, models: Self.models) { client in
            for path in ["/v1/rerank", "/rerank", "/v1/reranking", "/reranking"] {
                let response = try await rerank(client, path)
                #expect(response.status == .ok, "\(path): \(String(buffer: response.body))")
                let body = try object(response)
                #expect(body["object"] as? String == "list")
                #expect(body["model"] as? String == Self.reranker)
                let usage = try #require(body["usage"] as? [String: Any])
                #expect((usage["prompt_tokens"] as? Int ?? 0) > 0)
                let results = try #require(body["results"] as? [[String: Any]])
                #expect(results.map { $0["index"] as? Int } == [1, 2, 0])
                let scores = results.compactMap { $0["relevance_score"] as? Double }
                #expect(scores.count == 3 && abs(scores[0] - 0.83) < 1e-3 && abs(scores[2] - 0.12) < 1e-3)
                #expect(results.allSatisfy { $0["document"] == nil })
            }
            let top = try object(try await rerank(client, "/v1/rerank", #","top_n":2,"return_documents":true"#))
            let results = try #require(top["results"] as? [[String: Any]])
            #expect(results.map { $0["index"] as? Int } == [1, 2])
            #expect((results[0]["document"] as? [String: Any])?["text"] as? String == "high [[score=0.83]]")
        }
    }

    @Test(arguments: Simulator.layouts)
    func badRequestsAndModelsThatCannotRerankAre400s(layout: String) async throws {
        try await withSimulatorServer(layout: layout, models: Self.models) { client in
            let cases: [(String, String)] = [
                (#"{"model":"\#(Self.reranker)","query":"","documents":["a"]}"#, "query"),
                (#"{"model":"\#(Self.reranker)","query":"q","documents":[]}"#, "documents"),
                (#"{"model":"\#(Self.reranker)","query":"q","documents":["a"],"top_n":0}"#, "top_n"),
                (#"{"model":"\#(Self.reranker)","query":"q","documents":[""]}"#, "documents"),
            ]
            for (json, param) in cases {
                let response = try await post(client, "/v1/rerank", json)
                #expect(response.status == .badRequest, "\(json)")
                #expect(try openAIError(response)["param"] as? String == param)
            }
            let many = Array(repeating: #""d""#, count: 1025).joined(separator: ",")
            let tooMany = try await post(
                client, "/v1/rerank", #"{"model":"\#(Self.reranker)","query":"q","documents":[\#(many)]}"#)
            #expect(tooMany.status == .badRequest)
            for model in ["qwen3-0.6b", Self.embedder] {
                let refused = try await post(
                    client, "/v1/rerank", #"{"model":"\#(model)","query":"q","documents":["a"]}"#)
                #expect(refused.status == .badRequest)
                #expect(
                    (try openAIError(refused)["message"] as? String)?.contains("'\(model)' does not rerank") == true)
            }
        }
    }

    @Test(arguments: Simulator.layouts)
    func theEmbeddingModelEmbedsOnEveryRouteAndRefusesChat(layout: String) async throws {
        try await withSimulatorServer(layout: layout, models: Self.models) { client in
            let openAI = try object(
                try await post(client, "/v1/embeddings", #"{"model":"\#(Self.embedder)","input":["a cat","a dog"]}"#))
            let data = try #require(openAI["data"] as? [[String: Any]])
            let vectors = data.compactMap { ($0["embedding"] as? [NSNumber])?.map(\.doubleValue) }
            #expect(vectors.count == 2 && vectors[0] != vectors[1])
            #expect(vectors.allSatisfy { abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-3 })
            let ollama = try object(
                try await post(client, "/api/embed", #"{"model":"\#(Self.embedder)","input":"a cat"}"#))
            let ollamaVectors = try #require(ollama["embeddings"] as? [[Double]])
            #expect(ollamaVectors.count == 1 && zip(ollamaVectors[0], vectors[0]).allSatisfy { abs($0 - $1) < 1e-6 })
            let legacy = try object(
                try await post(client, "/api/embeddings", #"{"model":"\#(Self.embedder)","prompt":"a cat"}"#))
            #expect((legacy["embedding"] as? [Double])?.count == vectors[0].count)
            let chat = try await post(
                client, "/v1/chat/completions",
                #"{"model":"\#(Self.embedder)","messages":[{"role":"user","content":"Hi"}]}"#)
            #expect(chat.status == .badRequest)
            let show = try object(try await post(client, "/api/show", #"{"model":"\#(Self.embedder)"}"#))
            #expect((show["capabilities"] as? [String]) == ["embedding"])
            let text = try await post(
                client, "/v1/embeddings", #"{"model":"qwen3-0.6b","input":"a cat"}"#)
            #expect(text.status == .badRequest)
        }
    }
}

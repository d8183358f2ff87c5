/// The body of `POST /v1/rerank` (also `/rerank`, `/v1/reranking`, `/reranking`), in the shape llama-server,
/// Jina and Cohere share. Fields this server does not know are ignored.
public struct RerankRequest: Decodable, Sendable {
    /// One document: a string, or an object with `text` (Jina's and Cohere's object form).
    public struct Document: Decodable, Sendable, Equatable {
        /// The document's text.
        public var text: String

        enum CodingKeys: String, CodingKey {
            case text
        }

        /// A document of this text.
        public init(text: String) {
            self.text = text
        }

        public init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self.text = text
                return
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            text = try container.decode(String.self, forKey: .text)
        }
    }

    /// The most documents one request may rank.
    public static let maximumDocuments = 1024

    /// The reranker to score with.
    public var model: String
    /// What the documents are ranked against.
    public var query: String
    /// The documents to rank.
    public var documents: [Document]
    /// How many of the best results to return; all of them without it.
    public var topN: Int?
    /// Whether each result carries its document's text (`document.text`); off by default, as in Cohere's API.
    public var returnDocuments: Bool?

    enum CodingKeys: String, CodingKey {
        case model, query, documents
        case topN = "top_n", returnDocuments = "return_documents"
    }

    /// Checks the request; returns the documents' texts.
    public func validated() throws(OpenAIError) -> [String] {
        guard !model.isEmpty else { throw .invalidRequest("'model' must not be empty", param: "model") }
        guard !query.isEmpty else { throw .invalidRequest("'query' must not be empty", param: "query") }
        guard !documents.isEmpty else { throw .invalidRequest("'documents' must not be empty", param: "documents") }
        guard documents.count <= Self.maximumDocuments else {
            throw .invalidRequest(
                "at most \(Self.maximumDocuments) documents can be ranked at once, not \(documents.count)",
                param: "documents")
        }
        if let index = documents.firstIndex(where: { $0.text.isEmpty }) {
            throw .invalidRequest("documents[\(index)] is empty", param: "documents")
        }
        if let topN, topN < 1 { throw .invalidRequest("'top_n' must be at least 1", param: "top_n") }
        return documents.map(\.text)
    }
}

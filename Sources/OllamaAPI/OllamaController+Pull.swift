import FoundationEssentials
import Hummingbird
import InferenceCore
import InferenceTypes

extension OllamaController {
    /// `POST /api/pull {"model": "<url or hf reference>", "stream"?}`: progress as NDJSON, in Ollama's
    /// order, ending with `success`; with `stream: false` one `{"status":"success"}`. A client that goes away
    /// stops the download, which a later pull resumes.
    @Sendable func pull(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            var request = request
            let body = try await OllamaRequestDecoding.decode(
                OllamaPullRequest.self, from: &request, limit: maxBodyBytes)
            guard let reference = body.model ?? body.name, !reference.isEmpty else {
                throw OllamaError.badRequest("model is required")
            }
            let service = self.service
            guard body.stream ?? true else {
                _ = try await service.pull(reference) { _ in }
                return try json(OllamaPullStatus(status: "success"))
            }
            let requestBody = request.body
            return Response(
                status: .ok, headers: NDJSON.headers,
                body: ResponseBody { writer in
                    try await requestBody.consumeWithCancellationOnInboundClose { _ in
                        let (updates, continuation) = AsyncStream.makeStream(of: PullProgress.self)
                        async let outcome = Self.run(service, reference, continuation)
                        for await update in updates { try await writer.write(NDJSON.line(OllamaPullStatus(update))) }
                        if let error = await outcome { try await writer.write(OllamaError(any: error).line) }
                    }
                    try await writer.finish(nil)
                })
        }
    }

    /// Runs the pull, feeding its progress to `continuation`; returns the error it ended with, if any.
    private static func run(
        _ service: any InferenceServing, _ reference: String, _ continuation: AsyncStream<PullProgress>.Continuation
    ) async -> (any Error)? {
        defer { continuation.finish() }
        do {
            _ = try await service.pull(reference) { continuation.yield($0) }
            return nil
        } catch {
            return error
        }
    }
}

/// The body of `POST /api/pull`; `name` is the older spelling of `model`, `insecure` is accepted.
struct OllamaPullRequest: Decodable, Sendable {
    var model: String?
    var name: String?
    var stream: Bool?
    var insecure: Bool?
}

/// One progress line of a pull; fields without a value are left out.
struct OllamaPullStatus: Encodable, Sendable {
    var status: String
    var digest: String?
    var total: Int64?
    var completed: Int64?

    init(status: String) {
        self.status = status
    }

    init(_ progress: PullProgress) {
        status = progress.status
        digest = progress.digest
        total = progress.total
        completed = progress.completed
    }
}

import FoundationEssentials
import Hummingbird
import InferenceCore
import InferenceTypes

extension OllamaController {
    /// `HEAD /api/blobs/:digest`: 200 when the blob is stored, 404 when not, 400 for a malformed digest.
    @Sendable func hasBlob(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            let digest = try Self.digest(context)
            guard try service.hasBlob(digest: digest) else {
                throw OllamaError(status: .notFound, message: "blob \(digest) not found")
            }
            return Response(status: .ok)
        }
    }

    /// `POST /api/blobs/:digest`: the body, streamed to a temporary file and hashed as it arrives (never held
    /// in memory, so its only limit is the free disk, not `--max-body`), kept under the digest when its
    /// SHA-256 is the digest: 201; a mismatch is a 400 and nothing is kept. A blob already stored is not
    /// written again.
    @Sendable func uploadBlob(request: Request, context: Context) async throws -> Response {
        try await mapErrors {
            let digest = try Self.digest(context)
            if try service.hasBlob(digest: digest) { return Response(status: .created) }
            let upload = try service.blobUpload(digest: digest)
            do {
                for try await buffer in request.body {
                    try buffer.withUnsafeReadableBytes { try upload.write($0) }
                }
            } catch let error as InferenceError {
                upload.abandon()
                throw error
            } catch {
                upload.abandon()
                throw OllamaError.badRequest("the blob's body ended early: \(error)")
            }
            try upload.finish()
            return Response(status: .created)
        }
    }

    /// The route's digest, its colon percent-decoded (`sha256%3A…` is `sha256:…`).
    private static func digest(_ context: Context) throws(OllamaError) -> String {
        guard let raw = context.parameters.get("digest") else { throw .badRequest("a digest is required") }
        return raw.replacing("%3A", with: ":").replacing("%3a", with: ":")
    }
}

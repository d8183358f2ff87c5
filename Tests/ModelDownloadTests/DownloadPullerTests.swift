import InferenceCore
import InferenceTypes
import Testing

@testable import ModelDownload

/// The download layer's errors become the core's pull failures at the puller, with no HTTP status in them.
@Suite("DownloadPuller")
struct DownloadPullerTests {
    @Test(
        "each download error maps to the kind of pull failure a dialect answers",
        arguments: [
            (ModelDownloadError.unsupportedReference("x"), PullFailure.badReference),
            (.httpStatus(404, url: "u"), .notFound),
            (.httpStatus(401, url: "u"), .badReference),
            (.httpStatus(503, url: "u"), .remoteFailed),
            (.network(url: "u", reason: "reset"), .remoteFailed),
            (.pullInProgress("m.gguf"), .inProgress),
            (.sourceNotAllowed(url: "u", host: "h", reason: "r", redirected: false), .sourceRefused),
            (.notEnoughDiskSpace(directory: "d", needed: 2, available: 1), .insufficientStorage),
            (.tooLarge(url: "u", bytes: 2, limit: 1, announced: true), .badReference),
            (.fileSystem(path: "p", reason: "r"), .remoteFailed),
        ])
    func kinds(error: ModelDownloadError, kind: PullFailure) {
        #expect(error.pullFailure == kind)
    }

    @Test("a reference that is none of the accepted forms fails as a bad reference, with the download's message")
    func badReference() async {
        await #expect {
            _ = try await DownloadPuller().pull("not a reference", into: "/nonexistent") { _ in }
        } throws: { error in
            guard case .pullFailed(let reason, .badReference) = error as? InferenceError else { return false }
            return reason == ModelDownloadError.unsupportedReference("not a reference").description
        }
    }
}

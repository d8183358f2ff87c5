import Hummingbird
import InferenceCore
import InferenceTypes
import OpenAIAPI
import Testing

/// The OpenAI dialect answers each kind of failed pull with the status the server has always sent for it, and
/// calls the 4xx ones the client's fault.
@Suite struct PullFailureStatusTests {
    static let statuses: [PullFailure: Int] = [
        .badReference: 400, .notFound: 404, .sourceRefused: 403, .inProgress: 409, .insufficientStorage: 507,
        .remoteFailed: 502, .unsupported: 501, .internalFailure: 500,
    ]

    @Test(arguments: PullFailure.allCases)
    func eachKindHasItsStatusAndType(kind: PullFailure) throws {
        let status = try #require(Self.statuses[kind])
        let error = OpenAIError(InferenceError.pullFailed(reason: "no pull", kind: kind))
        #expect(error.status.code == status)
        #expect(error.message == "no pull")
        #expect(error.type == (status < 500 ? "invalid_request_error" : "server_error"))
    }
}

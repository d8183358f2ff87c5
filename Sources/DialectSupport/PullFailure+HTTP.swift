public import Hummingbird
public import InferenceTypes

extension PullFailure {
    /// The HTTP status a failed pull is answered with, in every dialect: 4xx when the request was at fault,
    /// 5xx otherwise.
    public var httpStatus: HTTPResponse.Status {
        switch self {
        case .badReference: .badRequest
        case .notFound: .notFound
        case .sourceRefused: .forbidden
        case .inProgress: .conflict
        case .insufficientStorage: .init(code: 507)
        case .remoteFailed: .badGateway
        case .unsupported: .notImplemented
        case .internalFailure: .internalServerError
        }
    }
}

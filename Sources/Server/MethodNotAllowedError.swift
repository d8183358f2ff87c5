public import Hummingbird

/// A request whose path exists with other methods only; answered 405 with `Allow` in the dialect's shape.
public struct MethodNotAllowedError: Error, Sendable {
    /// The methods the path has, in `Allow`'s order.
    public let allowed: [HTTPRequest.Method]

    /// The value of the `Allow` header.
    public var allowHeader: String { allowed.map(\.rawValue).joined(separator: ", ") }
}

public import InferenceCore
import InferenceTypes

/// `keep_alive` as clients send it: a number of seconds or a Go duration string.
public struct OllamaKeepAlive: Decodable, Sendable, Equatable {
    /// The parsed value.
    public var value: KeepAlive

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Double.self) {
            value = KeepAlive(seconds: seconds)
        } else if let text = try? container.decode(String.self) {
            guard let parsed = KeepAlive(duration: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription: "\"\(text)\" is not a duration (use a number of seconds or e.g. \"5m\")")
            }
            value = parsed
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "must be a number or a duration")
        }
    }
}

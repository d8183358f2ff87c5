import FoundationEssentials

/// One image a client sent with a message: the encoded file (JPEG or PNG) as it arrived, decoded from a `data:`
/// URL, base64, or fetched. The engine of a vision model decodes, resizes and encodes it; the core checks it is an
/// image it can decode before any model is touched.
///
/// Encoded (runner frames) as a base64 string, not as an array of numbers.
public struct ImageData: Sendable, Hashable, Codable {
    /// The encoded image file.
    public var bytes: [UInt8]
    /// The `http(s)` URL the client named instead of sending the image, while it is not fetched yet (`bytes`
    /// are empty until then); `nil` for an image sent inline. Not encoded: only fetched images reach an engine.
    public var url: String?

    /// Creates an image from its encoded bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// An image the service is to fetch from `url` before it generates (`InferenceServing.fetchImage`).
    public init(url: String) {
        self.bytes = []
        self.url = url
    }

    /// An image from base64 text (Ollama's `images`, Anthropic's `source.data`, a `data:` URL's payload);
    /// `nil` when the text is not base64. Whitespace and line breaks in it are skipped.
    public init?(base64 text: some StringProtocol) {
        guard let data = Data(base64Encoded: String(text), options: .ignoreUnknownCharacters), !data.isEmpty else {
            return nil
        }
        self.bytes = [UInt8](data)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let image = ImageData(base64: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not base64"))
        }
        self = image
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Data(bytes).base64EncodedString())
    }
}

public import InferenceTypes

/// How the dialects read the images clients send: `data:` URLs, base64 text and `http(s)` URLs, each into an
/// `ImageData` (a URL one to be fetched by `InferenceServing.fetchingImages`), with a reason a client can act on
/// when the text is none of them. The dialect names the place (`messages[0].content[1]`) in its own error.
public enum ImageSource {
    /// The most images one request may carry; more are a 400 in every dialect.
    public static let maxImagesPerRequest = 16

    /// The image an image URL stands for: a `data:image/...;base64,` URL decoded, or an `http(s)` URL to fetch.
    public static func image(url: String) throws(ImageSourceError) -> ImageData {
        let lowered = url.prefix(8).lowercased()
        if lowered.hasPrefix("data:") { return try dataURL(url) }
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") { return ImageData(url: url) }
        let scheme = url.firstIndex(of: ":").map { String(url[..<$0].prefix(16)) }
        let what = scheme.map { "'\($0):' URLs are not read" } ?? "the URL is not a data: or http(s) URL"
        throw ImageSourceError(what + "; send a data:image/...;base64, URL or an http(s) URL")
    }

    /// The image of base64 text (Ollama's `images`, Anthropic's `source.data`); a `data:` URL is read as well,
    /// as some clients send one.
    public static func image(base64 text: String) throws(ImageSourceError) -> ImageData {
        if text.prefix(5).lowercased() == "data:" { return try dataURL(text) }
        guard let image = ImageData(base64: text) else { throw ImageSourceError("the image is not valid base64") }
        return image
    }

    /// Throws when a request carries more images than `maxImagesPerRequest`.
    public static func checkCount(_ count: Int) throws(ImageSourceError) {
        guard count <= maxImagesPerRequest else {
            throw ImageSourceError(
                "a request may carry at most \(maxImagesPerRequest) images; this one has \(count)")
        }
    }

    /// `data:[<media type>][;base64],<payload>`: only base64 payloads of an image type (or none, or
    /// `application/octet-stream`) are images.
    private static func dataURL(_ url: String) throws(ImageSourceError) -> ImageData {
        guard let comma = url.firstIndex(of: ",") else {
            throw ImageSourceError("the data: URL has no ',' before its data")
        }
        let header = url[url.index(url.startIndex, offsetBy: 5)..<comma].lowercased()
        let parameters = header.split(separator: ";", omittingEmptySubsequences: false)
        let mediaType = parameters.first.map(String.init) ?? ""
        guard mediaType.isEmpty || mediaType.hasPrefix("image/") || mediaType == "application/octet-stream" else {
            throw ImageSourceError("the data: URL is of type '\(mediaType.prefix(64))', not an image")
        }
        guard parameters.dropFirst().contains("base64") else {
            throw ImageSourceError("the data: URL must be base64 (data:image/png;base64,...)")
        }
        guard let image = ImageData(base64: url[url.index(after: comma)...]) else {
            throw ImageSourceError("the data: URL's data is not valid base64")
        }
        return image
    }
}

/// Why an image a client sent cannot be read, in words the dialect puts after the place at fault.
public struct ImageSourceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong ("the image is not valid base64").
    public var reason: String

    /// Creates an error.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

import ImageCodec
public import InferenceTypes

extension InferenceService {
    /// Fetches the image at an `http(s)` URL with the server's `imageFetcher`; without one (the server was not
    /// started with `--allow-image-urls`), `InferenceError.imageURLsNotFetched`. Other schemes are a 400.
    public func fetchImage(url: String) async throws -> ImageData {
        guard let imageFetcher else { throw InferenceError.imageURLsNotFetched }
        let scheme = url.prefix(8).lowercased()
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else {
            throw InferenceError.invalidRequest("only http and https image URLs are fetched")
        }
        return try await imageFetcher(url)
    }

    /// Every image of the request, in order: a conversation's messages' images one after the other, or a raw
    /// prompt's.
    static func images(of request: GenerationRequest) -> [ImageData] {
        guard case .chat(let messages) = request.input else { return request.images }
        return messages.flatMap(\.images)
    }

    /// Checks the request's images before any model is loaded: at most `ImageSource.maxImagesPerRequest`, a
    /// model with the `vision` capability, every image fetched and readable as a JPEG or PNG file (its header).
    /// Returns the images, in order. Each failure is `.invalidRequest` (a 400) naming the model or the image
    /// (counted from 1 over the whole request).
    func checkedImages(of request: GenerationRequest, model: ModelDescriptor) async throws(InferenceError)
        -> [ImageData]
    {
        let images = Self.images(of: request)
        guard !images.isEmpty else { return [] }
        do {
            try ImageSource.checkCount(images.count)
        } catch {
            throw .invalidRequest(error.reason)
        }
        guard await capabilities(of: model).vision else {
            throw .invalidRequest("model '\(model.id)' does not support images")
        }
        for (index, image) in images.enumerated() {
            if image.url != nil, image.bytes.isEmpty { throw InferenceError.imageURLsNotFetched }
            do {
                _ = try ImageDecoder.header(of: image.bytes)
            } catch {
                throw .invalidRequest("image \(index + 1) cannot be read: \(error.reason)")
            }
        }
        return images
    }

    /// The input with one `EngineRequest.imageMarker` per image where the engine is to find it, when the core
    /// renders the prompt: a conversation's markers go before the text of the message carrying the images (in
    /// the content the chat template sees); a raw prompt's go at its start. A conversation the engine renders
    /// itself is returned as it is: the engine places the markers.
    static func markingImages(_ request: GenerationRequest, coreRenders: Bool) -> GenerationRequest {
        var request = request
        switch request.input {
        case .chat(var messages):
            guard coreRenders else { return request }
            for index in messages.indices where !messages[index].images.isEmpty {
                let markers = String(repeating: EngineRequest.imageMarker, count: messages[index].images.count)
                messages[index].content = markers + messages[index].content
            }
            request.input = .chat(messages)
        case .text(let prompt):
            guard !request.images.isEmpty else { return request }
            request.input = .text(String(repeating: EngineRequest.imageMarker, count: request.images.count) + prompt)
        case .rendered(let prompt):
            guard !request.images.isEmpty else { return request }
            request.input = .rendered(
                String(repeating: EngineRequest.imageMarker, count: request.images.count) + prompt)
        }
        return request
    }
}

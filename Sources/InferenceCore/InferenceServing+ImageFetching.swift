public import InferenceTypes

extension InferenceServing {
    /// The request with every image a client named by URL fetched (`fetchImage(url:)`, one after the other);
    /// a request without such images is returned as it is. A dialect calls this before `generate` or
    /// `countTokens`: the core refuses an image that was not fetched.
    public func fetchingImages(_ request: GenerationRequest) async throws -> GenerationRequest {
        var request = request
        request.images = try await fetching(request.images)
        if case .chat(var messages) = request.input {
            for index in messages.indices where messages[index].images.contains(where: { $0.url != nil }) {
                messages[index].images = try await fetching(messages[index].images)
            }
            request.input = .chat(messages)
        }
        return request
    }

    private func fetching(_ images: [ImageData]) async throws -> [ImageData] {
        var fetched: [ImageData] = []
        fetched.reserveCapacity(images.count)
        for image in images {
            if let url = image.url, image.bytes.isEmpty {
                var loaded = try await fetchImage(url: url)
                loaded.url = nil
                fetched.append(loaded)
            } else {
                fetched.append(image)
            }
        }
        return fetched
    }
}

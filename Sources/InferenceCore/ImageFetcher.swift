public import InferenceTypes

/// Fetches the image at an `http(s)` URL for `InferenceService.fetchImage`: the Server injects one built on its
/// HTTP client when it was started with `--allow-image-urls`. It throws `InferenceError.invalidRequest` naming the
/// URL's host for an answer that is not an image it may keep (a 4xx/5xx status, too large, too slow).
public typealias ImageFetcher = @Sendable (_ url: String) async throws -> ImageData

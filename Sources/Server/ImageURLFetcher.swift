import AsyncHTTPClient
import FoundationEssentials
import InferenceCore
import InferenceTypes
import NIOCore
import NIOHTTP1

/// Fetches the images clients name by `http(s)` URL, for a server started with `--allow-image-urls`: one GET
/// (redirects followed as the shared HTTP client does), at most `maxBytes` read (a longer answer is refused
/// without reading the rest), all of it within `timeout`. Each failure is a 400 naming the URL's host.
struct ImageURLFetcher: Sendable {
    /// The largest image kept.
    var maxBytes = 20 << 20
    /// How long one fetch may take, from the request to the last byte.
    var timeout: TimeAmount = .seconds(15)
    /// The HTTP client.
    var client: HTTPClient = .shared

    /// The image at `url`.
    func fetch(_ url: String) async throws -> ImageData {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(),
            ["http", "https"].contains(scheme), let host = parsed.host, !host.isEmpty
        else {
            throw InferenceError.invalidRequest("the image URL is not an http(s) URL with a host")
        }
        let deadline = NIODeadline.now() + timeout
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "image/*")
        do {
            let response = try await client.execute(request, deadline: deadline)
            guard (200..<300).contains(response.status.code) else {
                throw InferenceError.invalidRequest(
                    "the image URL on \(host) answered \(response.status.code) \(response.status.reasonPhrase)")
            }
            if let length = response.headers.first(name: "Content-Length").flatMap(Int.init), length > maxBytes {
                throw tooLarge(host)
            }
            var bytes: [UInt8] = []
            for try await chunk in response.body {
                guard bytes.count + chunk.readableBytes <= maxBytes else { throw tooLarge(host) }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
            guard !bytes.isEmpty else { throw InferenceError.invalidRequest("the image URL on \(host) sent no data") }
            return ImageData(bytes: bytes)
        } catch let error as InferenceError {
            throw error
        } catch let error as HTTPClientError where error == .deadlineExceeded {
            throw InferenceError.invalidRequest(
                "the image URL on \(host) did not answer within \(timeout.nanoseconds / 1_000_000_000) s")
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw InferenceError.invalidRequest("the image URL on \(host) cannot be fetched: \(error)")
        }
    }

    private func tooLarge(_ host: String) -> InferenceError {
        .invalidRequest("the image URL on \(host) sent more than \(maxBytes >> 20) MiB")
    }
}

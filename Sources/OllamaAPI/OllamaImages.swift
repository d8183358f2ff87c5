import InferenceCore
import InferenceTypes

/// Ollama's `images`: base64 strings (a `data:` URL too, as some clients send), each a 400 naming its place
/// when it is not one.
enum OllamaImages {
    /// The images of a list, in order.
    static func images(_ list: [String]?, place: String) throws(OllamaError) -> [ImageData] {
        var images: [ImageData] = []
        for (index, text) in (list ?? []).enumerated() {
            do {
                images.append(try ImageSource.image(base64: text))
            } catch {
                throw .badRequest("\(place)[\(index)]: \(error.reason)")
            }
        }
        return images
    }

    /// Throws when a request carries more images than one may.
    static func checkCount(_ count: Int) throws(OllamaError) {
        do {
            try ImageSource.checkCount(count)
        } catch {
            throw .badRequest(error.reason)
        }
    }
}

import FoundationEssentials
import ImageCodec
import InferenceTypes
import RKNNVision

/// What the engine needs of a vision encoder: the sizes the runtime is told, the family's tags, and the
/// embeddings of a request's images. `RKLLMVisionEncoder` is the real one; tests put a scripted one in.
protocol RKLLMImageEncoding: AnyObject {
    var configuration: RKLLMVisionConfiguration { get }
    /// The image size the runtime is told (`image_width`, `image_height`).
    var width: Int { get }
    var height: Int { get }
    /// Embedding rows per image (`n_image_tokens`).
    var imageTokens: Int { get }
    /// The embeddings of `images`, `imageTokens` rows each, one image after the other.
    func embeddings(of images: [ImageData]) throws(InferenceError) -> [Float]
}

/// Makes the encoder of a model: its vision configuration, the RKNN library path and the model's name.
typealias RKLLMImageEncoderFactory =
    @Sendable (RKLLMVisionConfiguration, String?, String) throws(InferenceError) -> any RKLLMImageEncoding

/// The RKNN vision encoder of a loaded vision-language model, and the path from a request's images to the
/// embeddings `rkllm_run` takes: decode, prepare to the encoder's input size, encode, one image after the other.
///
/// Loaded, used and freed on the model's thread, with the model.
final class RKLLMVisionEncoder: RKLLMImageEncoding {
    let configuration: RKLLMVisionConfiguration
    private let encoder: RKNNVisionEncoder
    /// The image size the runtime is told (`image_width`, `image_height`): the sidecar's, else the encoder's.
    let width: Int
    let height: Int
    /// Embedding rows per image (`n_image_tokens`): the sidecar's, else the encoder's.
    let imageTokens: Int
    /// Floats per row, as the encoder reports it.
    let embeddingSize: Int
    /// The largest image the decoder takes.
    static let limits = ImageLimits()

    /// Loads the encoder of `configuration` with the RKNN runtime at `libraryPath` (or the default search); a
    /// missing file or an encoder the runtime refuses fails the model's load with that reason.
    init(configuration: RKLLMVisionConfiguration, libraryPath: String?, modelName: String) throws(InferenceError) {
        let fileName = PathNames.fileName(configuration.encoderPath)
        guard FileManager.default.fileExists(atPath: configuration.encoderPath) else {
            throw .modelLoadFailed(
                model: modelName, reason: "its vision encoder \(fileName) is not in the models directory")
        }
        if configuration.mean != nil {
            throw .modelLoadFailed(
                model: modelName,
                reason:
                    "\(fileName): encoders that take float input (\"vision.mean\"/\"vision.std\") are not supported yet"
            )
        }
        encoder = try RKNNVisionEncoder(
            modelPath: configuration.encoderPath, libraryPath: libraryPath, modelName: modelName)
        self.configuration = configuration
        width = configuration.width ?? encoder.inputWidth
        height = configuration.height ?? encoder.inputHeight
        imageTokens = configuration.imageTokens ?? encoder.imageTokens
        embeddingSize = encoder.embeddingSize
        guard imageTokens > 0, embeddingSize > 0, encoder.inputWidth > 0, encoder.inputHeight > 0 else {
            throw .modelLoadFailed(
                model: modelName,
                reason: "\(fileName): the encoder reports \(encoder.inputWidth)x\(encoder.inputHeight) input and "
                    + "\(imageTokens) x \(embeddingSize) output")
        }
    }

    /// The runtime's version, for logs.
    var runtimeVersion: String { encoder.runtimeVersion }

    /// The embeddings of `images`, `imageTokens * embeddingSize` floats each, one image after the other. An image
    /// that cannot be decoded is `.invalidRequest` naming it (1-based); an encoder failure is `.engineFailure`.
    func embeddings(of images: [ImageData]) throws(InferenceError) -> [Float] {
        let preparation = ImagePreparation(
            width: encoder.inputWidth, height: encoder.inputHeight, keepsAspectRatio: configuration.keepsAspectRatio)
        let perImage = imageTokens * embeddingSize
        var all: [Float] = []
        all.reserveCapacity(images.count * perImage)
        for (index, image) in images.enumerated() {
            let decoded: DecodedImage
            do {
                decoded = try ImageDecoder.decode(image.bytes, limits: Self.limits)
            } catch {
                throw .invalidRequest("image \(index + 1) cannot be read: \(error.reason)")
            }
            let embedding = try encoder.encode(ImagePreprocessor.pixels(of: decoded, for: preparation))
            // The runtime reads exactly this many floats per image: fewer would make it read past the buffer.
            guard embedding.count == perImage else {
                throw .engineFailure(
                    "the vision encoder made \(embedding.count) floats of image \(index + 1), not \(imageTokens) x \(embeddingSize)"
                )
            }
            all += embedding
        }
        return all
    }
}

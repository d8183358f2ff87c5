public import InferenceTypes

/// A vision encoder (`.rknn`) loaded through the RKNN runtime (`librknnrt.so`, opened with dlopen): the model's
/// input shape, read from the runtime, and one call that turns an image's pixels into image embeddings.
///
/// Used only on the thread of the RKLLM model it belongs to.
public final class RKNNVisionEncoder {
    /// The input width the encoder reads, in pixels.
    public let inputWidth: Int
    /// The input height the encoder reads, in pixels.
    public let inputHeight: Int
    /// Embedding rows the encoder makes of one image (the image tokens).
    public let imageTokens: Int
    /// Floats per row (the language model's embedding size).
    public let embeddingSize: Int
    /// The runtime's version (`rknn_query(RKNN_QUERY_SDK_VERSION)`), for logs.
    public let runtimeVersion: String

    /// Loads the encoder file with the runtime at `libraryPath` (or the default library search); throws
    /// `.runtimeUnavailable` when there is no runtime and `.modelLoadFailed` with the runtime's reason.
    public init(modelPath: String, libraryPath: String?, modelName: String) throws(InferenceError) {
        throw .runtimeUnavailable("the RKNN runtime is not implemented yet")
    }

    /// The embeddings of one image: `imageTokens * embeddingSize` floats, row after row. `pixels` is 8-bit RGB,
    /// NHWC, `inputWidth * inputHeight * 3` bytes.
    public func encode(_ pixels: [UInt8]) throws(InferenceError) -> [Float] {
        throw .runtimeUnavailable("the RKNN runtime is not implemented yet")
    }
}

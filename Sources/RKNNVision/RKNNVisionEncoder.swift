import CRKNN
import EngineSupport
public import InferenceTypes
import Synchronization

/// A vision encoder (`.rknn`) loaded through the RKNN runtime (`librknnrt.so`, opened with dlopen): the model's
/// input shape, read from the runtime, and one call that turns an image's pixels into image embeddings.
///
/// The runtime's calls block (tens to hundreds of milliseconds on the NPU) and run on the caller's thread: use
/// the encoder from the thread of the RKLLM model it belongs to, never from the cooperative pool. Calls are
/// serialized by a lock, so sharing an encoder is safe, if slow. The runtime's context is destroyed once, when
/// the encoder is released.
public final class RKNNVisionEncoder: Sendable {
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
    /// The path of the runtime library in use.
    public let libraryPath: String

    private let api: RKNNAPI
    private let context: rknn_context
    private let outputEmbeddingSizes: [Int]
    private let lock = Mutex<Void>(())

    /// The largest encoder file read, the most `rknn_init` takes from memory.
    static let maxModelBytes = Int(UInt32.max)

    /// Loads the encoder file with the runtime at `libraryPath` (or the default library search); throws
    /// `.runtimeUnavailable` when there is no runtime and `.modelLoadFailed` with the runtime's reason.
    ///
    /// Without `libraryPath` the library is `ROCKCHIP_LLAMA_RKNN_LIB`, else the first of
    /// `RKNNRuntime.defaultSearchPaths(besideRKLLM: rkllmLibraryPath)` that exists.
    public init(
        modelPath: String, libraryPath: String?, modelName: String, besideRKLLM rkllmLibraryPath: String? = nil
    ) throws(InferenceError) {
        let runtime = try RKNNRuntime.open(
            path: RKNNRuntime.locate(
                configured: libraryPath, searchPaths: RKNNRuntime.defaultSearchPaths(besideRKLLM: rkllmLibraryPath)))
        let file = PathNames.fileName(modelPath)
        var bytes = try Self.read(modelPath, file: file, modelName: modelName)
        var context: rknn_context = 0
        let (status, caught) = StandardErrorCapture.run {
            bytes.withUnsafeMutableBytes { runtime.api.initialize(&context, $0.baseAddress, UInt32($0.count), 0, nil) }
        }
        let lastError = Self.lastRuntimeError(in: caught)
        bytes = []
        guard status == RKNN_SUCC else {
            throw .modelLoadFailed(
                model: modelName,
                reason: "the RKNN runtime refused the vision encoder \(file): rknn_init returned "
                    + RKNNReturnCode.describe(status) + (lastError.map { " (\($0))" } ?? ""))
        }
        let shape: RKNNEncoderShape
        do {
            shape = try Self.readShape(api: runtime.api, context: context)
        } catch {
            _ = runtime.api.destroy(context)
            throw .modelLoadFailed(
                model: modelName, reason: "the vision encoder \(file) cannot be used: \(error.reason)")
        }
        // Every NPU core the platform has; a platform with one core refuses, and the default is kept.
        _ = runtime.api.setCoreMask(context, RKNN_NPU_CORE_ALL)
        self.api = runtime.api
        self.context = context
        self.libraryPath = runtime.path
        self.inputWidth = shape.width
        self.inputHeight = shape.height
        self.imageTokens = shape.tokens
        self.embeddingSize = shape.embeddingSize
        self.outputEmbeddingSizes = shape.outputEmbeddingSizes
        self.runtimeVersion = Self.version(api: runtime.api, context: context)
    }

    deinit {
        _ = api.destroy(context)
    }

    /// The embeddings of one image: `imageTokens * embeddingSize` floats, row after row. `pixels` is 8-bit RGB,
    /// NHWC, `inputWidth * inputHeight * 3` bytes.
    /// - Throws: `.invalidRequest` for pixels of another size, `.engineFailure` when the runtime fails.
    public func encode(_ pixels: [UInt8]) throws(InferenceError) -> [Float] {
        let expected = inputWidth * inputHeight * 3
        guard pixels.count == expected else {
            throw .invalidRequest(
                "the vision encoder takes \(inputWidth) x \(inputHeight) RGB pixels (\(expected) bytes), "
                    + "not \(pixels.count) bytes")
        }
        return try lock.withLock { _ throws(InferenceError) -> [Float] in try run(pixels) }
    }

    private func run(_ pixels: [UInt8]) throws(InferenceError) -> [Float] {
        var input = rknn_input()
        input.index = 0
        input.size = UInt32(pixels.count)
        input.pass_through = 0
        input.type = RKNN_TENSOR_UINT8
        input.fmt = RKNN_TENSOR_NHWC
        let (step, status) = pixels.withUnsafeBytes { raw -> (String, Int32) in
            // The runtime only reads the input buffer (it converts it into its own), which outlives both calls.
            input.buf = UnsafeMutableRawPointer(mutating: raw.baseAddress)
            let set = api.inputsSet(context, 1, &input)
            guard set == RKNN_SUCC else { return ("rknn_inputs_set", set) }
            return ("rknn_run", api.run(context, nil))
        }
        guard status == RKNN_SUCC else { throw failure(step, status) }

        var outputs = [rknn_output](repeating: rknn_output(), count: outputEmbeddingSizes.count)
        for index in outputs.indices {
            outputs[index].index = UInt32(index)
            outputs[index].want_float = 1
        }
        let got = outputs.withUnsafeMutableBufferPointer {
            api.outputsGet(context, UInt32($0.count), $0.baseAddress, nil)
        }
        guard got == RKNN_SUCC else { throw failure("rknn_outputs_get", got) }
        defer {
            _ = outputs.withUnsafeMutableBufferPointer { api.outputsRelease(context, UInt32($0.count), $0.baseAddress) }
        }
        return try gather(outputs)
    }

    /// The outputs' rows concatenated per token (one output: its floats as they are).
    private func gather(_ outputs: [rknn_output]) throws(InferenceError) -> [Float] {
        for (output, size) in zip(outputs, outputEmbeddingSizes) {
            let bytes = imageTokens * size * MemoryLayout<Float>.size
            guard output.buf != nil, Int(output.size) >= bytes else {
                throw .engineFailure(
                    "the vision encoder's output \(output.index) has \(output.size) bytes, not the \(bytes) of "
                        + "\(imageTokens) x \(size) floats")
            }
        }
        let total = imageTokens * embeddingSize
        return [Float](unsafeUninitializedCapacity: total) { buffer, count in
            var column = 0
            for (output, size) in zip(outputs, outputEmbeddingSizes) {
                // Checked above: buf holds at least imageTokens * size floats.
                let source = UnsafeRawPointer(output.buf!).assumingMemoryBound(to: Float.self)
                for token in 0..<imageTokens {
                    // Row `token` of the result starts at token * embeddingSize; this output's part at `column`.
                    (buffer.baseAddress! + token * embeddingSize + column).update(
                        from: source + token * size, count: size)
                }
                column += size
            }
            count = total
        }
    }

    private func failure(_ call: String, _ status: Int32) -> InferenceError {
        .engineFailure("the vision encoder failed: \(call) returned \(RKNNReturnCode.describe(status))")
    }

    /// The whole encoder file, which `rknn_init` reads from memory.
    private static func read(_ path: String, file: String, modelName: String) throws(InferenceError) -> [UInt8] {
        let bytes: [UInt8]?
        do {
            bytes = try ModelFile.contents(of: path, limit: maxModelBytes)
        } catch {
            throw .modelLoadFailed(model: modelName, reason: "the vision encoder \(file) \(error)")
        }
        guard let bytes else {
            throw .modelLoadFailed(model: modelName, reason: "the vision encoder \(file) does not exist")
        }
        guard !bytes.isEmpty else {
            throw .modelLoadFailed(model: modelName, reason: "the vision encoder \(file) is empty")
        }
        return bytes
    }
}

import CRKNN

/// The shape of a vision encoder as the runtime reports it: the image it reads and the embeddings it makes.
struct RKNNEncoderShape: Equatable {
    /// The input width in pixels.
    var width: Int
    /// The input height in pixels.
    var height: Int
    /// Embedding rows per image (the output's dimensions but the last, multiplied).
    var tokens: Int
    /// Floats per row of each output, in output order; the rows of several outputs are concatenated per token.
    var outputEmbeddingSizes: [Int]

    /// Floats per row of all outputs together.
    var embeddingSize: Int { outputEmbeddingSizes.reduce(0, +) }

    /// The largest input side accepted, in pixels.
    static let maxSide = 8192
    /// The most floats one image's embeddings may take (256 MiB).
    static let maxFloats = 64 << 20

    /// Why a shape cannot be used, in a sentence naming what the runtime reported.
    struct Refusal: Error, Equatable {
        /// The reason.
        var reason: String
    }

    /// The input image's size from the input tensor's dimensions and format. The encoder always hands the
    /// runtime 8-bit RGB in NHWC (pass_through off), which the runtime converts to the model's own layout and
    /// type, so NCHW and float models are read as well: only the dimensions are needed.
    static func input(dims: [UInt32], format: Int32) throws(Refusal) -> (width: Int, height: Int) {
        guard dims.count == 4, dims[0] == 1 else {
            throw Refusal(reason: "its input has dimensions \(dims), not one image (1 x H x W x 3 or 1 x 3 x H x W)")
        }
        let (channels, height, width): (UInt32, UInt32, UInt32)
        switch format {
        case RKNN_TENSOR_NHWC: (height, width, channels) = (dims[1], dims[2], dims[3])
        case RKNN_TENSOR_NCHW: (channels, height, width) = (dims[1], dims[2], dims[3])
        default: throw Refusal(reason: "its input format \(format) is neither NHWC nor NCHW")
        }
        guard channels == 3 else { throw Refusal(reason: "its input has \(channels) channels, not 3 (RGB)") }
        guard width > 0, height > 0, width <= maxSide, height <= maxSide else {
            throw Refusal(reason: "its input of \(width) x \(height) pixels is out of range (1 to \(maxSide) a side)")
        }
        return (Int(width), Int(height))
    }

    /// Tokens and floats per token of one output, from its dimensions and element count: the last dimension
    /// is the embedding size, the others multiplied are the tokens (`[196, 1536]`, `[1, 196, 1536]`).
    static func output(dims: [UInt32], elements: UInt32) throws(Refusal) -> (tokens: Int, embeddingSize: Int) {
        guard let last = dims.last, last > 0, dims.allSatisfy({ $0 > 0 }) else {
            throw Refusal(reason: "its output has dimensions \(dims)")
        }
        var tokens = 1
        for dim in dims.dropLast() {
            tokens *= Int(dim)
            guard tokens <= maxFloats else { throw Refusal(reason: "its output of dimensions \(dims) is too large") }
        }
        let count = tokens * Int(last)
        guard count <= maxFloats else { throw Refusal(reason: "its output of dimensions \(dims) is too large") }
        guard count == Int(elements) else {
            throw Refusal(reason: "its output has dimensions \(dims) but \(elements) elements")
        }
        return (tokens, Int(last))
    }
}

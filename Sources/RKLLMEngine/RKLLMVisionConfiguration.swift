import InferenceTypes

/// How a vision-language model reads images: its RKNN encoder file, the sizes that override what the encoder
/// reports, the family's image tags and how pixels are prepared.
struct RKLLMVisionConfiguration: Sendable, Equatable {
    /// The image tags of a model family, as `rkllm_run` places them around each image's embeddings.
    struct Tags: Sendable, Equatable {
        var start: String
        var end: String
        var content: String
    }

    /// The encoder's path, beside the model.
    var encoderPath: String
    /// Overrides of what the encoder reports.
    var width: Int?
    var height: Int?
    var imageTokens: Int?
    var tags: Tags
    /// Per-channel normalisation, for encoders that take float input; `nil` passes 8-bit pixels.
    var mean: [Float]?
    var std: [Float]?
    var keepsAspectRatio: Bool

    /// Qwen2-VL, Qwen2.5-VL, Qwen3-VL (and the Qwen family's other vision models).
    static let qwenTags = Tags(start: "<|vision_start|>", end: "<|vision_end|>", content: "<|image_pad|>")

    /// The tags Rockchip's demos use for a family, by the model's name; Qwen's when the family is not known.
    static func tags(forModelNamed name: String) -> Tags {
        let name = name.lowercased()
        if name.hasPrefix("minicpm") { return Tags(start: "<image>", end: "</image>", content: "<unk>") }
        if name.hasPrefix("smolvlm") {
            return Tags(
                start: "<fake_token_around_image><global-img>", end: "<fake_token_around_image>", content: "<image>")
        }
        if name.hasPrefix("internvl") { return Tags(start: "<img>", end: "</img>", content: "<IMG_CONTEXT>") }
        return qwenTags
    }

    /// The configuration of the encoder at `encoderPath` for the model `modelName`, with a sidecar's settings.
    init(encoderPath: String, modelName: String, sidecar: RKLLMSidecar.Vision?) {
        self.encoderPath = encoderPath
        width = sidecar?.imageWidth
        height = sidecar?.imageHeight
        imageTokens = sidecar?.imageTokens
        let defaults = Self.tags(forModelNamed: modelName)
        tags = Tags(
            start: sidecar?.imageStart ?? defaults.start, end: sidecar?.imageEnd ?? defaults.end,
            content: sidecar?.imageContent ?? defaults.content)
        mean = sidecar?.mean
        std = sidecar?.std
        keepsAspectRatio = sidecar?.keepAspectRatio ?? true
    }
}

extension RKLLMSidecar.Vision {
    /// The largest input side and image token count a sidecar may ask for.
    static let maxSide = 4096
    static let maxImageTokens = 65536

    /// What is wrong with the vision object, `nil` when nothing is.
    var problem: String? {
        if let encoder, encoder.isEmpty || encoder.contains("/") || encoder == "." || encoder == ".." {
            return "\"vision.encoder\" must be a file name beside the model, not \"\(encoder)\""
        }
        for (key, value) in [("image_width", imageWidth), ("image_height", imageHeight)] {
            if let value, !(1...Self.maxSide).contains(value) {
                return "\"vision.\(key)\" must be from 1 to \(Self.maxSide), not \(value)"
            }
        }
        if let imageTokens, !(1...Self.maxImageTokens).contains(imageTokens) {
            return "\"vision.image_tokens\" must be from 1 to \(Self.maxImageTokens), not \(imageTokens)"
        }
        if let mean, mean.count != 3 { return "\"vision.mean\" must have 3 numbers (red, green, blue)" }
        if let std, std.count != 3 || std.contains(where: { !($0 > 0) }) {
            return "\"vision.std\" must have 3 positive numbers (red, green, blue)"
        }
        if (mean == nil) != (std == nil) { return "\"vision.mean\" and \"vision.std\" go together" }
        return nil
    }
}

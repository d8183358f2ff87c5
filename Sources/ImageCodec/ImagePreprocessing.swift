/// How a vision encoder wants its input: the square (or rectangle) it reads and how it is filled.
public struct ImagePreparation: Sendable, Hashable {
    /// The encoder's input width in pixels.
    public var width: Int
    /// The encoder's input height in pixels.
    public var height: Int
    /// Whether the image is first padded to the encoder's aspect ratio with `padColor` (Rockchip's multimodal
    /// demo pads to a square), instead of being stretched.
    public var keepsAspectRatio: Bool
    /// The colour padding is filled with, R G B.
    public var padColor: [UInt8]

    /// Creates a preparation.
    public init(width: Int, height: Int, keepsAspectRatio: Bool = true, padColor: [UInt8] = [127, 127, 127]) {
        self.width = width
        self.height = height
        self.keepsAspectRatio = keepsAspectRatio
        self.padColor = padColor
    }
}

/// Turns decoded images into what an encoder reads.
public enum ImagePreprocessor {
    /// The image padded (when asked) and resized to the preparation's size: 8-bit RGB, NHWC
    /// (`width * height * 3` bytes), what RKNN vision encoders take as `RKNN_TENSOR_UINT8`.
    public static func pixels(of image: DecodedImage, for preparation: ImagePreparation) -> [UInt8] {
        guard preparation.width > 0, preparation.height > 0, image.width > 0, image.height > 0,
            image.rgb.count == image.width * image.height * 3
        else { return [] }
        guard preparation.keepsAspectRatio else {
            return ImageResizer.resized(image, width: preparation.width, height: preparation.height)
        }
        // Rows of padding above and below a wide image are resampled without building them; columns of
        // padding beside a tall one are built.
        if let canvasHeight = ImagePadding.canvasHeight(image, for: preparation) {
            return ImageResizer.resized(
                image, width: preparation.width, height: preparation.height, canvasHeight: canvasHeight,
                top: (canvasHeight - image.height) / 2, padColor: ImagePadding.color(preparation))
        }
        let source = ImagePadding.padded(image, to: preparation)
        return ImageResizer.resized(source, width: preparation.width, height: preparation.height)
    }

    /// The same pixels as floats, normalised per channel with `(value / 255 - mean) / std`, NHWC; for encoders
    /// whose input is `RKNN_TENSOR_FLOAT32` without the normalisation built in.
    /// A channel with no mean is not shifted and one with no (or a zero) deviation is not scaled.
    public static func normalized(_ pixels: [UInt8], mean: [Float], std: [Float]) -> [Float] {
        let scales: [Float] = (0..<3).map { channel in
            let deviation = channel < std.count ? std[channel] : 1
            return deviation == 0 ? 1 / 255 : 1 / (255 * deviation)
        }
        let offsets: [Float] = (0..<3).map { channel in
            let deviation = channel < std.count && std[channel] != 0 ? std[channel] : 1
            return (channel < mean.count ? mean[channel] : 0) / deviation
        }
        var output = [Float](repeating: 0, count: pixels.count)
        for index in pixels.indices {
            let channel = index % 3
            output[index] = Float(pixels[index]) * scales[channel] - offsets[channel]
        }
        return output
    }
}

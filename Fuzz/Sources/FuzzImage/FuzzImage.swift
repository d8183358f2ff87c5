import FuzzSupport
import ImageCodec

/// libFuzzer's entry point: decodes the input as a JPEG or PNG file, and prepares what decodes for a small
/// encoder input, with limits that keep one input's pixels within a few megabytes.
///
/// Any result is fine, an `ImageDecodingError` included; a crash, a hang or unbounded memory is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    FuzzStack.run(kilobytes: 256) {
        let limits = ImageLimits(maxSide: 4096, maxPixels: 1_000_000)
        let header = try? ImageDecoder.header(of: bytes, limits: limits)
        guard let image = try? ImageDecoder.decode(bytes, limits: limits) else { return }
        precondition(image.rgb.count == image.width * image.height * 3, "the pixels do not fill the image")
        if let header { precondition(header.width == image.width && header.height == image.height, "header size") }
        let pixels = ImagePreprocessor.pixels(of: image, for: ImagePreparation(width: 28, height: 28))
        precondition(pixels.count == 28 * 28 * 3, "the prepared pixels are not 28x28")
    }
    return 0
}

import ImageCodec
import Testing

@Suite("Preparing images for vision encoders")
struct ImagePreprocessorTests {
    /// A 2:1 image: its left half red, its right half blue.
    private let redBlue: DecodedImage = {
        let width = 64
        let height = 32
        var rgb: [UInt8] = []
        for _ in 0..<height {
            for x in 0..<width { rgb += x < width / 2 ? [255, 0, 0] : [0, 0, 255] }
        }
        return DecodedImage(width: width, height: height, rgb: rgb)
    }()

    private func pixel(_ pixels: [UInt8], width: Int, _ x: Int, _ y: Int) -> [UInt8] {
        Array(pixels[((y * width + x) * 3)..<((y * width + x) * 3 + 3)])
    }

    @Test("a 2:1 image padded to a square keeps red left, blue right and grey bands above and below")
    func paddedSquare() {
        let pixels = ImagePreprocessor.pixels(
            of: redBlue, for: ImagePreparation(width: 16, height: 16, padColor: [127, 127, 127]))
        #expect(pixels.count == 16 * 16 * 3)
        // The image fills rows 4...11 of 16 (its 32 rows centred in 64, scaled by a quarter).
        #expect(pixel(pixels, width: 16, 2, 8) == [255, 0, 0])
        #expect(pixel(pixels, width: 16, 13, 8) == [0, 0, 255])
        for x in [0, 7, 8, 15] {
            #expect(pixel(pixels, width: 16, x, 0) == [127, 127, 127])
            #expect(pixel(pixels, width: 16, x, 15) == [127, 127, 127])
        }
        #expect(pixel(pixels, width: 16, 2, 5) == [255, 0, 0])
        #expect(pixel(pixels, width: 16, 13, 10) == [0, 0, 255])
    }

    @Test("without keeping the aspect ratio the image is stretched over the whole square")
    func stretched() {
        let pixels = ImagePreprocessor.pixels(
            of: redBlue, for: ImagePreparation(width: 8, height: 8, keepsAspectRatio: false))
        #expect(pixel(pixels, width: 8, 0, 0) == [255, 0, 0])
        #expect(pixel(pixels, width: 8, 7, 7) == [0, 0, 255])
    }

    @Test("shrinking a fine checkerboard averages it to grey instead of aliasing")
    func noAliasing() {
        let side = 400
        var rgb = [UInt8](repeating: 0, count: side * side * 3)
        for y in 0..<side {
            for x in 0..<side where (x + y) % 2 == 0 {
                rgb.replaceSubrange(((y * side + x) * 3)..<((y * side + x) * 3 + 3), with: [255, 255, 255])
            }
        }
        let pixels = ImagePreprocessor.pixels(
            of: DecodedImage(width: side, height: side, rgb: rgb), for: ImagePreparation(width: 37, height: 37))
        #expect(pixels.allSatisfy { (120...135).contains($0) })
    }

    @Test("normalising applies (value / 255 - mean) / std per channel")
    func normalised() {
        let values = ImagePreprocessor.normalized(
            [255, 0, 51, 0, 255, 102], mean: [0.5, 0.25, 0], std: [0.5, 0.25, 0.2])
        let expected: [Float] = [1, -1, 1, -1, 3, 2]
        #expect(zip(values, expected).allSatisfy { abs($0 - $1) < 1e-5 })
    }

    @Test("the bench's pipeline: the 1024x768 photo to 392x392 with the photo in the middle band")
    func benchPipeline() throws {
        let image = try ImageDecoder.decode(try Fixture.bytes("bench-1024x768.jpg"))
        let pixels = ImagePreprocessor.pixels(of: image, for: ImagePreparation(width: 392, height: 392))
        #expect(pixels.count == 392 * 392 * 3)
        // 768 of 1024 rows are the photo: rows 49...342 of 392; the first rows are padding.
        #expect(pixel(pixels, width: 392, 100, 10) == [127, 127, 127])
        #expect(pixel(pixels, width: 392, 100, 380) == [127, 127, 127])
        #expect(pixel(pixels, width: 392, 100, 200) != [127, 127, 127])
    }
}

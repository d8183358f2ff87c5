import ImageCodec
import Testing

@Suite("JPEG decoding against Pillow")
struct JPEGDecoderTests {
    @Test(
        "each kind of JPEG decodes to what Pillow decodes, within 2 levels per channel on average",
        arguments: [
            ("jpeg-420-37x23.jpg", 37, 23), ("jpeg-444.jpg", 37, 23), ("jpeg-422.jpg", 37, 23),
            ("jpeg-progressive.jpg", 45, 31), ("jpeg-gray.jpg", 37, 23), ("jpeg-restart.jpg", 64, 40),
            ("jpeg-cmyk.jpg", 37, 23), ("jpeg-exif-rotated.jpg", 23, 37),
        ])
    func matchesPillow(name: String, width: Int, height: Int) throws {
        let bytes = try Fixture.bytes(name)
        let header = try ImageDecoder.header(of: bytes)
        #expect(header == ImageHeader(format: .jpeg, width: width, height: height))
        let image = try ImageDecoder.decode(bytes)
        #expect(image.width == width && image.height == height)
        #expect(image.rgb.count == width * height * 3)
        let errors = Fixture.meanAbsoluteError(image.rgb, try Fixture.expected(name))
        #expect(errors.allSatisfy { $0 <= 2 }, "mean absolute error per channel \(errors)")
    }

    @Test("the bench's 1024x768 photo decodes to its size with sensible colours")
    func benchPhoto() throws {
        let image = try ImageDecoder.decode(try Fixture.bytes("bench-1024x768.jpg"))
        #expect(image.width == 1024 && image.height == 768)
        let smooth = try ImageDecoder.decode(try Fixture.bytes("bench-1024x768.png"))
        // The PNG is the same scene without the JPEG's grain.
        let errors = Fixture.meanAbsoluteError(image.rgb, smooth.rgb)
        #expect(errors.allSatisfy { $0 <= 8 }, "\(errors)")
    }
}

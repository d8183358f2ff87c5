import ImageCodec
import Testing

@Suite("PNG decoding")
struct PNGDecoderTests {
    @Test(
        "each kind of PNG decodes exactly",
        arguments: [
            "png-rgb.png", "png-rgba.png", "png-palette-trns.png", "png-gray16.png", "png-interlaced.png",
            "png-1bit.png", "png-gray-alpha.png",
        ])
    func exact(name: String) throws {
        let bytes = try Fixture.bytes(name)
        let header = try ImageDecoder.header(of: bytes)
        #expect(header == ImageHeader(format: .png, width: 33, height: 21))
        let image = try ImageDecoder.decode(bytes)
        #expect(image.width == 33 && image.height == 21)
        let expected = try Fixture.expected(name)
        let differing = zip(image.rgb, expected).filter { $0 != $1 }.count
        #expect(image.rgb.count == expected.count)
        #expect(differing == 0, "\(differing) bytes differ")
    }
}

import ImageCodec
import Testing

@Suite("Damaged and hostile images are refused with a clear error")
struct HostileImageTests {
    /// The error decoding `bytes` throws, or nil when it decodes.
    private func failure(_ bytes: [UInt8], limits: ImageLimits = ImageLimits()) -> ImageDecodingError? {
        do {
            _ = try ImageDecoder.decode(bytes, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "a JPEG or PNG cut short anywhere is an error, never a crash", arguments: ["jpeg-420-37x23.jpg", "png-rgb.png"])
    func truncated(name: String) throws {
        let bytes = try Fixture.bytes(name)
        // Every cut from the first byte to the last few: whatever is missing, the result is an error.
        for length in stride(from: 0, to: bytes.count - 16, by: 7) {
            let error = failure(Array(bytes.prefix(length)))
            #expect(error != nil, "\(name) cut to \(length) bytes decoded")
        }
        #expect(failure(Array(bytes.prefix(bytes.count / 2)))?.reason.contains("truncated") == true)
    }

    @Test("a JPEG whose header says zero pixels wide is refused before decoding")
    func zeroWidth() throws {
        var bytes = try Fixture.bytes("jpeg-444.jpg")
        let frame = try #require(sofOffset(bytes))
        bytes[frame + 7] = 0
        bytes[frame + 8] = 0
        #expect(failure(bytes)?.reason.contains("zero") == true)
        #expect(throws: ImageDecodingError.self) { try ImageDecoder.header(of: bytes) }
    }

    @Test("100000x100000 in a header is refused by the header alone, before any allocation")
    func enormous() throws {
        var png = try Fixture.bytes("png-rgb.png")
        for offset in [16, 20] { png.replaceSubrange(offset..<(offset + 4), with: [0x00, 0x01, 0x86, 0xA0]) }
        #expect(failure(png)?.reason.contains("100000x100000") == true)
        #expect(throws: ImageDecodingError.self) { try ImageDecoder.header(of: png) }

        // JPEG sides are 16-bit: 65535x65535 is the most a JPEG can claim.
        var jpeg = try Fixture.bytes("jpeg-444.jpg")
        let frame = try #require(sofOffset(jpeg))
        jpeg.replaceSubrange((frame + 5)..<(frame + 9), with: [0xFF, 0xFF, 0xFF, 0xFF])
        #expect(failure(jpeg)?.reason.contains("65535x65535") == true)
        // Within the limits but far more pixels than the data could code: refused before allocating.
        #expect(failure(jpeg, limits: ImageLimits(maxSide: 70000, maxPixels: 5_000_000_000)) != nil)
    }

    @Test("garbage after a valid SOI is an error")
    func garbageAfterSOI() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let garbage = (0..<2000).map { _ in UInt8.random(in: 0...255, using: &generator) }
            #expect(failure([0xFF, 0xD8, 0xFF] + garbage) != nil)
        }
        #expect(failure([0xFF, 0xD8, 0xFF, 0xD9]) != nil)
        #expect(failure(Array("GIF89a".utf8))?.reason == "not a JPEG or PNG file")
        #expect(failure([]) != nil)
    }

    @Test("a PNG whose data inflates to far more than its header says is refused")
    func zipBomb() throws {
        // 16x16 gray needs 16 x 17 = 272 bytes; this stream holds 10 MB of zeros.
        let header: [UInt8] = [0, 0, 0, 16, 0, 0, 0, 16, 8, 0, 0, 0, 0]
        let deflated = ZlibStored.zeros(count: 10_000_000)
        let png = PNGBuilder.file(header: header, data: deflated)
        #expect(failure(png)?.reason.contains("longer than its header says") == true)
    }

    @Test("unsupported JPEG processes say what they are")
    func unsupported() throws {
        var bytes = try Fixture.bytes("jpeg-444.jpg")
        let frame = try #require(sofOffset(bytes))
        bytes[frame + 4] = 12
        #expect(failure(bytes)?.reason.contains("12-bit") == true)
        bytes[frame + 4] = 8
        bytes[frame + 1] = 0xC9
        #expect(failure(bytes)?.reason.contains("arithmetic") == true)
        bytes[frame + 1] = 0xC3
        #expect(failure(bytes)?.reason.contains("lossless") == true)
    }

    @Test("a Huffman table with more codes of one length than that length has is refused (a fuzzer finding)")
    func overfullHuffmanTable() throws {
        var bytes = try Fixture.bytes("jpeg-444.jpg")
        let table = try #require((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC4 })
        // Five 1-bit codes (of two possible), the counts' total unchanged by taking them from later lengths.
        let counts = (table + 5)..<(table + 21)
        let total = bytes[counts].reduce(0) { $0 + Int($1) }
        var spread = [UInt8](repeating: 0, count: 16)
        spread[0] = 5
        spread[15] = UInt8(total - 5)
        bytes.replaceSubrange(counts, with: spread)
        #expect(failure(bytes)?.reason == "a JPEG Huffman table is invalid")
    }

    /// Where the SOF0/SOF2 marker is (its 0xFF byte).
    private func sofOffset(_ bytes: [UInt8]) -> Int? {
        (0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && (bytes[$0 + 1] == 0xC0 || bytes[$0 + 1] == 0xC2) }
    }
}

/// Builds PNG files around a given IHDR and zlib stream (CRCs are not checked by the decoder, so zeros).
enum PNGBuilder {
    static func file(header: [UInt8], data: [UInt8]) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", data)
            + chunk("IEND", [])
    }

    static func chunk(_ type: String, _ body: [UInt8]) -> [UInt8] {
        let length = UInt32(body.count)
        return [UInt8(length >> 24), UInt8(length >> 16 & 255), UInt8(length >> 8 & 255), UInt8(length & 255)]
            + Array(type.utf8) + body + [0, 0, 0, 0]
    }
}

/// A zlib stream of zeros, small however long: one fixed-Huffman block of a literal 0 and 258-byte matches.
enum ZlibStored {
    static func zeros(count: Int) -> [UInt8] {
        var writer = BitWriter()
        writer.write(1, bits: 1)  // final block
        writer.write(1, bits: 2)  // fixed Huffman
        writer.writeCode(0b0011_0000, length: 8)  // literal 0
        var left = count - 1
        while left >= 258 {
            writer.writeCode(0b1100_0101, length: 8)  // length symbol 285: 258 bytes
            writer.writeCode(0, length: 5)  // distance symbol 0: distance 1
            left -= 258
        }
        writer.writeCode(0, length: 7)  // end of block
        return [0x78, 0x01] + writer.bytes + [0, 0, 0, 0]
    }

    struct BitWriter {
        var bytes: [UInt8] = []
        var bitCount = 0

        mutating func write(_ value: Int, bits: Int) {
            for bit in 0..<bits { append((value >> bit) & 1) }
        }

        /// A Huffman code, most significant bit first.
        mutating func writeCode(_ code: Int, length: Int) {
            for bit in stride(from: length - 1, through: 0, by: -1) { append((code >> bit) & 1) }
        }

        private mutating func append(_ bit: Int) {
            if bitCount % 8 == 0 { bytes.append(0) }
            bytes[bytes.count - 1] |= UInt8(bit << (bitCount % 8))
            bitCount += 1
        }
    }
}

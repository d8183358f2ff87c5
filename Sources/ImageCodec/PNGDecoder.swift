/// Decodes PNG files (all colour types and bit depths, palettes, transparency, Adam7) into RGB; alpha is
/// composited on white. CRCs are not checked.
enum PNGDecoder {
    /// The eight bytes every PNG file starts with.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// The chunks the decoder reads.
    private struct Chunks {
        var header: PNGHeader
        var palette: [UInt8] = []
        var transparency: [UInt8] = []
        var data: [UInt8] = []
    }

    /// The IHDR chunk, which must come first.
    static func header(of bytes: [UInt8]) throws(ImageDecodingError) -> PNGHeader {
        guard bytes.count >= 33, Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            throw ImageDecodingError("the PNG file does not start with its header")
        }
        return try PNGHeader(bytes[16..<29])
    }

    /// Decodes a whole PNG file.
    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(ImageDecodingError) -> DecodedImage {
        let header = try header(of: bytes)
        try limits.check(width: header.width, height: header.height)
        let chunks = try readChunks(bytes, header: header)
        if header.colorType == 3, chunks.palette.isEmpty {
            throw ImageDecodingError("the PNG file has a palette image but no palette")
        }
        // Deflate cannot expand data more than about 1032 times, so shorter data cannot fill the image.
        guard header.inflatedSize / 1032 <= chunks.data.count else {
            throw ImageDecodingError("truncated PNG data (too short for a \(header.width)x\(header.height) image)")
        }
        var raw = try Inflate.inflate(chunks.data, size: header.inflatedSize)
        let image = try PNGFilters.unfilter(&raw, header: header)
        return PNGPixels.rgb(
            filtered: raw, header: header, palette: chunks.palette, transparency: chunks.transparency,
            offsets: image)
    }

    private static func readChunks(_ bytes: [UInt8], header: PNGHeader) throws(ImageDecodingError) -> Chunks {
        var chunks = Chunks(header: header)
        var position = 8
        var ended = false
        while !ended {
            guard position + 8 <= bytes.count else { throw ImageDecodingError("truncated PNG data (no IEND chunk)") }
            let length = bytes[position..<(position + 4)].reduce(0) { $0 << 8 | Int($1) }
            let type = String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self)
            let start = position + 8
            guard length <= bytes.count - start else {
                // A last IDAT cut short still gives its bytes, so the inflater says what is missing.
                if type == "IDAT" { chunks.data += bytes[start...] }
                break
            }
            let body = bytes[start..<(start + length)]
            position = start + length + 4
            switch type {
            case "IDAT": chunks.data += body
            case "PLTE": chunks.palette = Array(body.prefix(768))
            case "tRNS": chunks.transparency = Array(body)
            case "IEND": ended = true
            default: continue
            }
        }
        guard !chunks.data.isEmpty else { throw ImageDecodingError("truncated PNG data (no image data)") }
        return chunks
    }
}

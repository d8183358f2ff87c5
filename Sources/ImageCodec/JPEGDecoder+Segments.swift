/// How a JPEG file's components map to RGB.
enum JPEGColorTransform {
    case gray, yCbCr, rgb, cmyk, ycck
}

extension JPEGDecoder {
    /// SOF0/1/2: the size and the components; checks the size against `limits` before allocating coefficients.
    mutating func readFrame(_ segment: Range<Int>, progressive: Bool, limits: ImageLimits?)
        throws(ImageDecodingError)
    {
        guard segment.count >= 6 else { throw ImageDecodingError("the JPEG frame header is damaged") }
        let start = segment.lowerBound
        guard bytes[start] == 8 else {
            throw ImageDecodingError("\(bytes[start])-bit JPEG is not supported (only 8-bit)")
        }
        let height = Int(bytes[start + 1]) << 8 | Int(bytes[start + 2])
        let width = Int(bytes[start + 3]) << 8 | Int(bytes[start + 4])
        let count = Int(bytes[start + 5])
        guard count == 1 || count == 3 || count == 4 else {
            throw ImageDecodingError("a JPEG file with \(count) components is not supported")
        }
        guard segment.count >= 6 + 3 * count else { throw ImageDecodingError("the JPEG frame header is damaged") }
        var components: [JPEGComponent] = []
        for index in 0..<count {
            let offset = start + 6 + 3 * index
            let h = Int(bytes[offset + 1] >> 4)
            let v = Int(bytes[offset + 1] & 15)
            let table = Int(bytes[offset + 2])
            guard (1...4).contains(h), (1...4).contains(v), table < 4 else {
                throw ImageDecodingError("the JPEG frame header is damaged (a sampling factor or table)")
            }
            components.append(
                JPEGComponent(id: bytes[offset], horizontalFactor: h, verticalFactor: v, quantizationTable: table))
        }
        var frame = JPEGFrame(width: width, height: height, isProgressive: progressive, components: components)
        guard let limits else {
            self.frame = frame
            return
        }
        try limits.check(width: width, height: height)
        frame.layOut()
        // Every block takes at least one bit of entropy-coded data, so a file too short for the grid is cut off.
        guard frame.mcusPerLine * frame.mcusPerColumn <= bytes.count * 8 else {
            throw ImageDecodingError("truncated JPEG data (too short for a \(width)x\(height) image)")
        }
        for index in frame.components.indices {
            let blocks = frame.components[index].blocksPerLine * frame.components[index].blocksPerColumn
            frame.components[index].coefficients = [Int16](repeating: 0, count: blocks * 64)
        }
        self.frame = frame
    }

    /// DHT: one or more Huffman tables.
    mutating func readHuffmanTables(_ segment: Range<Int>) throws(ImageDecodingError) {
        var position = segment.lowerBound
        while position < segment.upperBound {
            guard position + 17 <= segment.upperBound else {
                throw ImageDecodingError("a JPEG Huffman table is damaged")
            }
            let kind = bytes[position] >> 4
            let slot = Int(bytes[position] & 15)
            guard kind <= 1, slot < 4 else { throw ImageDecodingError("a JPEG Huffman table is damaged") }
            let counts = (0..<16).map { Int(bytes[position + 1 + $0]) }
            let total = counts.reduce(0, +)
            position += 17
            guard total <= 256, position + total <= segment.upperBound else {
                throw ImageDecodingError("a JPEG Huffman table is damaged")
            }
            let table = try JPEGHuffmanTable(counts: counts, symbols: Array(bytes[position..<(position + total)]))
            position += total
            if kind == 0 { dcTables[slot] = table } else { acTables[slot] = table }
        }
    }

    /// DQT: one or more quantisation tables, 8- or 16-bit, stored in natural order.
    mutating func readQuantizationTables(_ segment: Range<Int>) throws(ImageDecodingError) {
        var position = segment.lowerBound
        while position < segment.upperBound {
            let precision = Int(bytes[position] >> 4)
            let slot = Int(bytes[position] & 15)
            let size = precision == 0 ? 64 : 128
            guard precision <= 1, slot < 4, position + 1 + size <= segment.upperBound else {
                throw ImageDecodingError("a JPEG quantisation table is damaged")
            }
            position += 1
            for index in 0..<64 {
                let value =
                    precision == 0
                    ? UInt16(bytes[position + index])
                    : UInt16(bytes[position + 2 * index]) << 8 | UInt16(bytes[position + 2 * index + 1])
                quantizationTables[slot][Self.naturalOrder[index]] = value
            }
            position += size
        }
    }

    /// APP0: notes a JFIF file (whose three components are always YCbCr).
    mutating func readJFIF(_ segment: Range<Int>) {
        if segment.count >= 5, Array(bytes[segment.lowerBound..<(segment.lowerBound + 5)]) == Array("JFIF\0".utf8) {
            hasJFIF = true
        }
    }

    /// APP14: Adobe's colour transform flag (0 none, 1 YCbCr, 2 YCCK).
    mutating func readAdobe(_ segment: Range<Int>) {
        if segment.count >= 12, Array(bytes[segment.lowerBound..<(segment.lowerBound + 5)]) == Array("Adobe".utf8) {
            adobeTransform = Int(bytes[segment.lowerBound + 11])
        }
    }

    /// APP1: the EXIF orientation (tag 0x0112 of IFD0), when present and sane.
    mutating func readExif(_ segment: Range<Int>) {
        if let value = ExifOrientationReader.orientation(in: bytes, segment), (1...8).contains(value) {
            orientation = value
        }
    }

    /// What the components hold, from their number, the Adobe flag, JFIF and the component identifiers.
    func colorTransform(_ frame: JPEGFrame) -> JPEGColorTransform {
        switch frame.components.count {
        case 1: return .gray
        case 3:
            if let adobeTransform { return adobeTransform == 0 ? .rgb : .yCbCr }
            if hasJFIF { return .yCbCr }
            let ids = frame.components.map(\.id)
            return ids == Array("RGB".utf8) ? .rgb : .yCbCr
        default:
            return adobeTransform == 2 ? .ycck : .cmyk
        }
    }
}

/// Decodes baseline and progressive Huffman-coded 8-bit JPEG files (ITU T.81) into RGB.
///
/// A file that ends inside a scan is refused ("truncated JPEG data"); a file that ends after a whole scan
/// without its EOI marker is decoded with what it has (a progressive file then shows its coarser scans).
struct JPEGDecoder {
    /// Where each zigzag position's coefficient goes in a row-major block.
    static let naturalOrder: [Int] = [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7,
        14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46,
        53, 60, 61, 54, 47, 55, 62, 63,
    ]
    /// The most scans a file may have; real progressive files have about ten.
    static let maxScans = 200

    let bytes: [UInt8]
    var frame: JPEGFrame?
    var quantizationTables = [[UInt16]](repeating: [UInt16](repeating: 1, count: 64), count: 4)
    var dcTables = [JPEGHuffmanTable?](repeating: nil, count: 4)
    var acTables = [JPEGHuffmanTable?](repeating: nil, count: 4)
    var restartInterval = 0
    var adobeTransform: Int?
    var hasJFIF = false
    var orientation = 1
    var scanCount = 0

    /// The header of a JPEG file: its size after the EXIF orientation, from the markers before the first scan.
    static func header(of bytes: [UInt8]) throws(ImageDecodingError) -> ImageHeader {
        var decoder = JPEGDecoder(bytes: bytes)
        try decoder.readMarkers(stoppingAtFrame: true, limits: nil)
        guard let frame = decoder.frame else { throw ImageDecodingError("truncated JPEG data (no frame header)") }
        let swaps = decoder.orientation >= 5
        return ImageHeader(
            format: .jpeg, width: swaps ? frame.height : frame.width, height: swaps ? frame.width : frame.height)
    }

    /// Decodes a whole JPEG file.
    static func decode(_ bytes: [UInt8], limits: ImageLimits) throws(ImageDecodingError) -> DecodedImage {
        var decoder = JPEGDecoder(bytes: bytes)
        try decoder.readMarkers(stoppingAtFrame: false, limits: limits)
        guard let frame = decoder.frame, decoder.scanCount > 0 else {
            throw ImageDecodingError("truncated JPEG data (no image data)")
        }
        var planes = JPEGIDCT.planes(of: frame, quantizationTables: decoder.quantizationTables)
        // Chroma at half resolution is upsampled as libjpeg does; the converter box-samples whatever is left.
        var factors = frame.components.map { ($0.horizontalFactor, $0.verticalFactor) }
        for (index, component) in frame.components.enumerated()
        where frame.maxHorizontalFactor % component.horizontalFactor == 0
            && frame.maxVerticalFactor % component.verticalFactor == 0
        {
            let sampleWidth =
                (frame.width * component.horizontalFactor + frame.maxHorizontalFactor - 1)
                / frame.maxHorizontalFactor
            let sampleHeight =
                (frame.height * component.verticalFactor + frame.maxVerticalFactor - 1)
                / frame.maxVerticalFactor
            if let full = JPEGUpsampler.fancy(
                planes[index], ratioX: frame.maxHorizontalFactor / component.horizontalFactor,
                ratioY: frame.maxVerticalFactor / component.verticalFactor, sampleWidth: sampleWidth,
                sampleHeight: sampleHeight, width: frame.width, height: frame.height)
            {
                planes[index] = full
                factors[index] = (frame.maxHorizontalFactor, frame.maxVerticalFactor)
            }
        }
        let image = JPEGColorConverter.rgb(
            frame: frame, planes: planes, factors: factors, transform: decoder.colorTransform(frame))
        return ImageOrientation.apply(decoder.orientation, to: image)
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Walks the markers from SOI to EOI (or, for the header, to the frame header), reading tables and scans.
    mutating func readMarkers(stoppingAtFrame: Bool, limits: ImageLimits?) throws(ImageDecodingError) {
        var position = 2
        while true {
            while position < bytes.count, bytes[position] != 0xFF { position += 1 }
            while position < bytes.count, bytes[position] == 0xFF { position += 1 }
            guard position < bytes.count else {
                if scanCount > 0 { return }
                throw ImageDecodingError("truncated JPEG data")
            }
            let marker = bytes[position]
            position += 1
            switch marker {
            case 0xD9: return
            case 0xD0...0xD8, 0x01, 0x00: continue
            default: break
            }
            guard position + 2 <= bytes.count else { throw ImageDecodingError("truncated JPEG data") }
            let length = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            guard length >= 2, position + length <= bytes.count else {
                throw ImageDecodingError("truncated JPEG data (a marker segment runs past the end)")
            }
            let segment = (position + 2)..<(position + length)
            position += length
            switch marker {
            case 0xC0, 0xC1, 0xC2:
                guard frame == nil else { throw ImageDecodingError("the JPEG file has two frame headers") }
                try readFrame(segment, progressive: marker == 0xC2, limits: limits)
                if stoppingAtFrame { return }
            case 0xC3, 0xC7, 0xCB, 0xCF: throw ImageDecodingError("lossless JPEG is not supported")
            case 0xC5, 0xC6: throw ImageDecodingError("hierarchical JPEG is not supported")
            case 0xC9, 0xCA, 0xCD, 0xCE: throw ImageDecodingError("arithmetic-coded JPEG is not supported")
            case 0xC8, 0xF0...0xFD: throw ImageDecodingError("the JPEG file uses an unsupported extension")
            case 0xC4: try readHuffmanTables(segment)
            case 0xCC: throw ImageDecodingError("arithmetic-coded JPEG is not supported")
            case 0xDB: try readQuantizationTables(segment)
            case 0xDD:
                guard segment.count >= 2 else { throw ImageDecodingError("the JPEG restart interval is damaged") }
                restartInterval = Int(bytes[segment.lowerBound]) << 8 | Int(bytes[segment.lowerBound + 1])
            case 0xDA:
                if stoppingAtFrame { throw ImageDecodingError("the JPEG file has no frame header before its data") }
                position = try readScan(segment)
            case 0xE0: readJFIF(segment)
            case 0xE1: readExif(segment)
            case 0xEE: readAdobe(segment)
            default: continue
            }
        }
    }
}

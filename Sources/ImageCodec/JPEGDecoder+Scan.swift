/// What one scan codes (T.81 G.1.2): a baseline scan codes whole blocks; a progressive one a band of them.
enum JPEGScanKind {
    case baseline, dcFirst, dcRefine, acFirst, acRefine
}

/// One component as a scan uses it.
struct JPEGScanComponent {
    var index: Int
    var dcTable: JPEGHuffmanTable?
    var acTable: JPEGHuffmanTable?
    var predictor = 0
}

extension JPEGDecoder {
    /// SOS: reads the scan header, decodes its entropy-coded data into the coefficients and returns where the
    /// next marker starts.
    mutating func readScan(_ segment: Range<Int>) throws(ImageDecodingError) -> Int {
        guard var frame else { throw ImageDecodingError("the JPEG file has no frame header before its data") }
        scanCount += 1
        guard scanCount <= Self.maxScans else { throw ImageDecodingError("the JPEG file has too many scans") }
        let start = segment.lowerBound
        let count = segment.isEmpty ? 0 : Int(bytes[start])
        guard (1...4).contains(count), segment.count >= 4 + 2 * count else {
            throw ImageDecodingError("a JPEG scan header is damaged")
        }
        var components: [JPEGScanComponent] = []
        for index in 0..<count {
            let id = bytes[start + 1 + 2 * index]
            let tables = bytes[start + 2 + 2 * index]
            guard let position = frame.components.firstIndex(where: { $0.id == id }),
                tables >> 4 < 4, tables & 15 < 4
            else { throw ImageDecodingError("a JPEG scan names a component the frame does not have") }
            components.append(
                JPEGScanComponent(
                    index: position, dcTable: dcTables[Int(tables >> 4)], acTable: acTables[Int(tables & 15)]))
        }
        let spectralStart = Int(bytes[start + 1 + 2 * count])
        let spectralEnd = Int(bytes[start + 2 + 2 * count])
        let high = Int(bytes[start + 3 + 2 * count] >> 4)
        let low = Int(bytes[start + 3 + 2 * count] & 15)
        let kind: JPEGScanKind
        if !frame.isProgressive {
            kind = .baseline
        } else {
            guard spectralEnd <= 63, spectralStart <= spectralEnd, low <= 13,
                (spectralStart == 0) == (spectralEnd == 0), spectralStart == 0 || count == 1
            else { throw ImageDecodingError("a progressive JPEG scan header is damaged") }
            kind = spectralStart == 0 ? (high == 0 ? .dcFirst : .dcRefine) : (high == 0 ? .acFirst : .acRefine)
        }
        for component in components {
            let needsDC = kind == .baseline || kind == .dcFirst
            let needsAC = kind == .baseline || kind == .acFirst || kind == .acRefine
            guard !needsDC || component.dcTable != nil, !needsAC || component.acTable != nil else {
                throw ImageDecodingError("a JPEG scan uses a Huffman table the file does not define")
            }
        }
        var scan = JPEGScanDecoder(
            reader: JPEGBitReader(bytes: bytes, position: segment.upperBound), kind: kind,
            spectralStart: spectralStart, spectralEnd: spectralEnd, low: low, restartInterval: restartInterval)
        self.frame = nil
        defer { self.frame = frame }
        try scan.decode(&frame, components: &components)
        return scan.reader.nextMarker()
    }
}

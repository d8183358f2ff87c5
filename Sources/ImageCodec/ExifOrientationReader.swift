/// Finds the orientation tag in a JPEG APP1 EXIF segment (a TIFF header and its first IFD).
enum ExifOrientationReader {
    /// The orientation (1...8) the segment records, or nil when it is not EXIF or has none.
    static func orientation(in bytes: [UInt8], _ segment: Range<Int>) -> Int? {
        let start = segment.lowerBound + 6
        guard segment.count >= 14, Array(bytes[segment.lowerBound..<start]) == Array("Exif\0\0".utf8) else {
            return nil
        }
        let littleEndian: Bool
        switch (bytes[start], bytes[start + 1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func read(_ offset: Int, _ size: Int) -> Int? {
            let at = start + offset
            guard offset >= 0, at + size <= segment.upperBound else { return nil }
            var value = 0
            for index in 0..<size {
                let byte = Int(bytes[at + (littleEndian ? size - 1 - index : index)])
                value = value << 8 | byte
            }
            return value
        }
        guard let ifd = read(4, 4), let entries = read(ifd, 2) else { return nil }
        for entry in 0..<min(entries, 1000) {
            let offset = ifd + 2 + 12 * entry
            guard let tag = read(offset, 2) else { return nil }
            if tag == 0x0112 { return read(offset + 8, 2) }
        }
        return nil
    }
}

/// Reads a JPEG scan's entropy-coded bits, most significant first, removing the stuffed zero after each 0xFF.
///
/// At a marker it supplies zero bits, as libjpeg does, so a damaged scan ends flat instead of failing; past
/// the end of the file it supplies zeros too but remembers it, and `isTruncated` then says the scan needed
/// bytes the file does not have.
struct JPEGBitReader {
    let bytes: [UInt8]
    /// The next byte to read; it stays on a marker once one is reached.
    private(set) var position: Int
    private var buffer: UInt64 = 0
    private var count = 0
    private var atMarker = false
    private var fakeBytes = 0

    init(bytes: [UInt8], position: Int) {
        self.bytes = bytes
        self.position = position
    }

    /// Whether bits past the end of the file were consumed.
    var isTruncated: Bool { fakeBytes * 8 > count }

    private mutating func fill() {
        while count <= 56 {
            var byte: UInt8 = 0
            if atMarker {
                byte = 0
            } else if position >= bytes.count || (bytes[position] == 0xFF && position + 1 == bytes.count) {
                // Past the end (a lone 0xFF at the very end is a marker cut off, so past the end too).
                fakeBytes += 1
            } else {
                byte = bytes[position]
                if byte == 0xFF {
                    let next = bytes[position + 1]
                    if next == 0 {
                        position += 2
                    } else {
                        atMarker = true
                        byte = 0
                    }
                } else {
                    position += 1
                }
            }
            buffer |= UInt64(byte) << UInt64(56 - count)
            count += 8
        }
    }

    /// Decodes one Huffman-coded symbol.
    mutating func decode(_ table: JPEGHuffmanTable) throws(ImageDecodingError) -> Int {
        if count < 32 { fill() }
        let entry = table.fast[Int(truncatingIfNeeded: buffer >> UInt64(64 - JPEGHuffmanTable.fastBits))]
        if entry != 0 {
            let length = Int(entry >> 8)
            buffer <<= UInt64(length)
            count -= length
            return Int(entry & 0xFF)
        }
        let window = UInt32(truncatingIfNeeded: buffer >> 48)
        var length = JPEGHuffmanTable.fastBits + 1
        while window >= table.maxCode[length] { length += 1 }
        guard length <= 16 else { throw ImageDecodingError("the JPEG data is corrupt (an unknown Huffman code)") }
        let index = Int(window >> UInt32(16 - length)) + table.delta[length]
        guard index >= 0, index < table.symbols.count else {
            throw ImageDecodingError("the JPEG data is corrupt (an unknown Huffman code)")
        }
        buffer <<= UInt64(length)
        count -= length
        return Int(table.symbols[index])
    }

    /// The next `length` bits (at most 16) as an unsigned number.
    mutating func bits(_ length: Int) -> Int {
        guard length > 0 else { return 0 }
        if count < length { fill() }
        let value = Int(truncatingIfNeeded: buffer >> UInt64(64 - length))
        buffer <<= UInt64(length)
        count -= length
        return value
    }

    /// The next bit.
    mutating func bit() -> Bool { bits(1) != 0 }

    /// The next `length` bits as the signed value they code (T.81 F.2.2.1, EXTEND).
    mutating func receiveExtend(_ length: Int) -> Int {
        guard length > 0 else { return 0 }
        let value = bits(length)
        return value < 1 << (length - 1) ? value - (1 << length) + 1 : value
    }

    /// Drops the buffered bits and steps over the restart marker that should be next (or the next one found).
    mutating func restart() {
        buffer = 0
        count = 0
        atMarker = false
        var cursor = position
        while cursor + 1 < bytes.count {
            if bytes[cursor] == 0xFF, (0xD0...0xD7).contains(bytes[cursor + 1]) {
                position = cursor + 2
                return
            }
            if bytes[cursor] == 0xFF, bytes[cursor + 1] != 0, bytes[cursor + 1] != 0xFF { break }
            cursor += 1
        }
    }

    /// Where the marker after this scan starts (or the end of the file).
    func nextMarker() -> Int {
        var cursor = position
        while cursor + 1 < bytes.count {
            if bytes[cursor] == 0xFF {
                let next = bytes[cursor + 1]
                if next != 0, next != 0xFF, !(0xD0...0xD7).contains(next) { return cursor }
            }
            cursor += 1
        }
        return bytes.count
    }
}

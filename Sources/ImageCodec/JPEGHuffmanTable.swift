/// One JPEG Huffman table (ITU T.81 annex C): a 9-bit lookup for the short codes, canonical ranges for the rest.
struct JPEGHuffmanTable: Sendable {
    /// How many bits the lookup table resolves at once.
    static let fastBits = 9

    /// For each 9-bit prefix: `length << 8 | symbol` when a code of at most 9 bits starts it, else 0.
    var fast: [UInt16]
    /// For each length 1...16 (index 17 a sentinel): one past the last code of that length, left-aligned in
    /// 16 bits, so a 16-bit window below it has a code of that length or shorter.
    var maxCode: [UInt32]
    /// For each length: the index in `symbols` of its first code, minus that code.
    var delta: [Int]
    /// The symbols in code order.
    var symbols: [UInt8]

    /// Builds a table from a DHT segment's 16 counts and its symbols; throws when the counts overfill the
    /// code space (no table may leave a code that two symbols share).
    init(counts: [Int], symbols: [UInt8]) throws(ImageDecodingError) {
        self.symbols = symbols
        fast = [UInt16](repeating: 0, count: 1 << Self.fastBits)
        maxCode = [UInt32](repeating: 0, count: 18)
        delta = [Int](repeating: 0, count: 17)
        var code = 0
        var index = 0
        for length in 1...16 {
            let count = counts[length - 1]
            delta[length] = index - code
            for _ in 0..<count {
                guard code < 1 << length else { throw ImageDecodingError("a JPEG Huffman table is invalid") }
                if length <= Self.fastBits {
                    let shift = Self.fastBits - length
                    let first = code << shift
                    for fill in 0..<(1 << shift) {
                        fast[first + fill] = UInt16(length << 8) | UInt16(symbols[index])
                    }
                }
                code += 1
                index += 1
            }
            guard code <= 1 << length else { throw ImageDecodingError("a JPEG Huffman table is invalid") }
            maxCode[length] = UInt32(code << (16 - length))
            code <<= 1
        }
        maxCode[17] = UInt32.max
    }
}

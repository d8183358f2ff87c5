/// One Huffman code of a deflate stream (RFC 1951 3.2.2): a 10-bit lookup on the bit-reversed stream, and
/// canonical counts for the longer codes.
struct InflateHuffman {
    /// How many bits the lookup table resolves at once.
    static let fastBits = 10

    /// For each 10-bit window (stream order): `symbol << 4 | length`, or 0 when the code is longer.
    var fast: [UInt32]
    /// How many codes have each length 0...15.
    var counts: [Int]
    /// The symbols ordered by code length, then by value.
    var symbols: [Int]

    /// Builds the code from each symbol's length (0 = unused); throws when the lengths overfill the code space.
    init(lengths: ArraySlice<UInt8>) throws(ImageDecodingError) {
        var counts = [Int](repeating: 0, count: 16)
        for length in lengths { counts[Int(length)] += 1 }
        var left = 1
        for length in 1...15 {
            left = left * 2 - counts[length]
            guard left >= 0 else { throw ImageDecodingError("the PNG data is corrupt (a Huffman code)") }
        }
        self.init(building: lengths)
    }

    /// Builds the code without checking it (every table stays in bounds even for lengths that overfill the
    /// code space); for the fixed codes of RFC 1951 3.2.6.
    init(building lengths: ArraySlice<UInt8>) {
        counts = [Int](repeating: 0, count: 16)
        for length in lengths where length <= 15 { counts[Int(length)] += 1 }
        counts[0] = 0
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        symbols = [Int](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length != 0 && length <= 15 {
            symbols[offsets[Int(length)]] = symbol
            offsets[Int(length)] += 1
        }
        fast = [UInt32](repeating: 0, count: 1 << Self.fastBits)
        var code = 0
        var index = 0
        for length in 1...Self.fastBits {
            for _ in 0..<counts[length] {
                var reversed = 0
                for bit in 0..<length where code & (1 << bit) != 0 { reversed |= 1 << (length - 1 - bit) }
                let entry = UInt32(symbols[index] << 4 | length)
                var fill = reversed
                while fill < 1 << Self.fastBits {
                    fast[fill] = entry
                    fill += 1 << length
                }
                code += 1
                index += 1
            }
            code <<= 1
        }
    }
}

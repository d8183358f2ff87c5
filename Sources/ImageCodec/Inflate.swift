/// Inflates a zlib stream (RFC 1950 and 1951) into a buffer of exactly the size the caller expects: a stream
/// that would write more is refused as soon as it tries (no zip bomb), one that ends short is truncated.
/// The Adler-32 checksum is not checked.
struct Inflate {
    private static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtra = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private let input: [UInt8]
    private var position: Int
    private var buffer: UInt64 = 0
    private var count = 0
    private var fakeBytes = 0

    /// The zlib stream's bytes, from its two-byte header on.
    init(_ input: [UInt8]) {
        self.input = input
        position = 0
    }

    /// Inflates the whole stream; the result has exactly `size` bytes.
    static func inflate(_ input: [UInt8], size: Int) throws(ImageDecodingError) -> [UInt8] {
        var inflater = Inflate(input)
        return try inflater.run(size: size)
    }

    private mutating func run(size: Int) throws(ImageDecodingError) -> [UInt8] {
        guard input.count >= 2, input[0] & 15 == 8, (Int(input[0]) << 8 | Int(input[1])) % 31 == 0,
            input[1] & 0x20 == 0
        else { throw ImageDecodingError("the PNG data is not a zlib stream") }
        position = 2
        var output = [UInt8](repeating: 0, count: size)
        var written = 0
        try output.withUnsafeMutableBufferPointer { (out) throws(ImageDecodingError) in
            var last = false
            while !last {
                last = try bits(1) == 1
                switch try bits(2) {
                case 0: try stored(out, &written)
                case 1: try compressed(out, &written, literals: Self.fixedLiterals, distances: Self.fixedDistances)
                case 2:
                    let (literals, distances) = try dynamicCodes()
                    try compressed(out, &written, literals: literals, distances: distances)
                default: throw ImageDecodingError("the PNG data is corrupt (a deflate block type)")
                }
            }
        }
        guard written == size else { throw ImageDecodingError("truncated PNG data (the image data ends early)") }
        return output
    }

    private static let fixedLiterals = InflateHuffman(
        building: ([UInt8](repeating: 8, count: 144) + [UInt8](repeating: 9, count: 112)
            + [UInt8](repeating: 7, count: 24) + [UInt8](repeating: 8, count: 8))[...])
    private static let fixedDistances = InflateHuffman(building: [UInt8](repeating: 5, count: 30)[...])

    private mutating func refill() {
        while count <= 56 {
            var byte: UInt8 = 0
            if position < input.count {
                byte = input[position]
                position += 1
            } else {
                fakeBytes += 1
            }
            buffer |= UInt64(byte) << UInt64(count)
            count += 8
        }
    }

    private mutating func checkTruncation() throws(ImageDecodingError) {
        if fakeBytes * 8 > count { throw ImageDecodingError("truncated PNG data") }
    }

    private mutating func bits(_ length: Int) throws(ImageDecodingError) -> Int {
        if count < length { refill() }
        let value = Int(truncatingIfNeeded: buffer & ((1 << UInt64(length)) - 1))
        buffer >>= UInt64(length)
        count -= length
        try checkTruncation()
        return value
    }

    private mutating func decode(_ code: InflateHuffman) throws(ImageDecodingError) -> Int {
        if count < 16 { refill() }
        let entry = code.fast[Int(truncatingIfNeeded: buffer & UInt64((1 << InflateHuffman.fastBits) - 1))]
        if entry != 0 {
            let length = Int(entry & 15)
            buffer >>= UInt64(length)
            count -= length
            try checkTruncation()
            return Int(entry >> 4)
        }
        var value = 0
        var first = 0
        var index = 0
        for length in 1...15 {
            value |= Int(truncatingIfNeeded: (buffer >> UInt64(length - 1)) & 1)
            let number = code.counts[length]
            if value - first < number {
                buffer >>= UInt64(length)
                count -= length
                try checkTruncation()
                return code.symbols[index + value - first]
            }
            index += number
            first = (first + number) << 1
            value <<= 1
        }
        throw ImageDecodingError("the PNG data is corrupt (an unknown Huffman code)")
    }

    private mutating func stored(_ out: UnsafeMutableBufferPointer<UInt8>, _ written: inout Int)
        throws(ImageDecodingError)
    {
        // Drop the bits up to the byte boundary, then hand back whole buffered bytes to the input.
        let unread = count / 8 - fakeBytes
        guard unread >= 0 else { throw ImageDecodingError("truncated PNG data") }
        position -= unread
        buffer = 0
        count = 0
        fakeBytes = 0
        guard position + 4 <= input.count else { throw ImageDecodingError("truncated PNG data") }
        let length = Int(input[position]) | Int(input[position + 1]) << 8
        let check = Int(input[position + 2]) | Int(input[position + 3]) << 8
        position += 4
        guard length ^ 0xFFFF == check else { throw ImageDecodingError("the PNG data is corrupt (a stored block)") }
        guard position + length <= input.count else { throw ImageDecodingError("truncated PNG data") }
        guard written + length <= out.count else { throw Self.tooLong }
        for index in 0..<length { out[written + index] = input[position + index] }
        written += length
        position += length
    }

    static let tooLong = ImageDecodingError("the PNG image data is longer than its header says")

    private mutating func compressed(
        _ out: UnsafeMutableBufferPointer<UInt8>, _ written: inout Int, literals: InflateHuffman,
        distances: InflateHuffman
    ) throws(ImageDecodingError) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                guard written < out.count else { throw Self.tooLong }
                out[written] = UInt8(truncatingIfNeeded: symbol)
                written += 1
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < 29 else { throw ImageDecodingError("the PNG data is corrupt (a match length)") }
            let length = Self.lengthBase[lengthIndex] + (try bits(Self.lengthExtra[lengthIndex]))
            let distanceSymbol = try decode(distances)
            guard distanceSymbol < 30 else { throw ImageDecodingError("the PNG data is corrupt (a match distance)") }
            let distance = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
            guard distance <= written else { throw ImageDecodingError("the PNG data is corrupt (a match distance)") }
            guard written + length <= out.count else { throw Self.tooLong }
            // Byte by byte: a match may overlap what it is writing.
            var source = written - distance
            for _ in 0..<length {
                out[written] = out[source]
                written += 1
                source += 1
            }
        }
    }

    private mutating func dynamicCodes() throws(ImageDecodingError) -> (InflateHuffman, InflateHuffman) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else {
            throw ImageDecodingError("the PNG data is corrupt (a deflate header)")
        }
        var codeLengths = [UInt8](repeating: 0, count: 19)
        for index in 0..<codeLengthCount { codeLengths[Self.codeLengthOrder[index]] = UInt8(try bits(3)) }
        let lengthCode = try InflateHuffman(lengths: codeLengths[...])
        var lengths = [UInt8](repeating: 0, count: literalCount + distanceCount)
        var index = 0
        while index < lengths.count {
            let symbol = try decode(lengthCode)
            var repeatValue: UInt8 = 0
            var times = 0
            switch symbol {
            case 0..<16:
                lengths[index] = UInt8(symbol)
                index += 1
                continue
            case 16:
                guard index > 0 else { throw ImageDecodingError("the PNG data is corrupt (a code length)") }
                repeatValue = lengths[index - 1]
                times = 3 + (try bits(2))
            case 17: times = 3 + (try bits(3))
            default: times = 11 + (try bits(7))
            }
            guard index + times <= lengths.count else {
                throw ImageDecodingError("the PNG data is corrupt (a code length)")
            }
            for _ in 0..<times {
                lengths[index] = repeatValue
                index += 1
            }
        }
        guard lengths[256] != 0 else { throw ImageDecodingError("the PNG data is corrupt (no end-of-block code)") }
        return (
            try InflateHuffman(lengths: lengths[0..<literalCount]),
            try InflateHuffman(lengths: lengths[literalCount...])
        )
    }
}

/// Where the bytes of a GGUF header come from, so that one parser reads files and arrays in memory alike.
protocol GGUFByteSource {
    /// The number of bytes there are, which bounds every length and count the header claims.
    var count: Int { get }

    /// `length` bytes from `offset`; the parser only asks for bytes inside `count`.
    mutating func bytes(at offset: Int, length: Int) throws(ModelFileError) -> ArraySlice<UInt8>
}

/// GGUF bytes in memory: what a fuzzer or a test hands the parser.
struct GGUFMemorySource: GGUFByteSource {
    let storage: [UInt8]

    var count: Int { storage.count }

    func bytes(at offset: Int, length: Int) -> ArraySlice<UInt8> {
        storage[offset..<offset + length]
    }
}

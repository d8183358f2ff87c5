extension ImageFormat {
    /// The format a file's first bytes announce: JPEG's SOI marker or PNG's eight-byte signature.
    static func sniff(_ bytes: [UInt8]) throws(ImageDecodingError) -> ImageFormat {
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF { return .jpeg }
        if bytes.count >= 8, Array(bytes[0..<8]) == PNGDecoder.signature { return .png }
        throw ImageDecodingError("not a JPEG or PNG file")
    }
}

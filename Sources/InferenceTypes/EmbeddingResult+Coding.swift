import FoundationEssentials

/// Runner frames carry embeddings as each vector's little-endian float32 bytes in base64: exact, a third of the
/// size of decimal text, and written and read without formatting a number per element (thousands per request).
extension EmbeddingResult {
    enum CodingKeys: String, CodingKey {
        case vectors, promptTokens, totalNanos
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let encoded = try container.decode([String].self, forKey: .vectors)
        vectors = try encoded.map { text in
            guard let data = Data(base64Encoded: text), data.count % 4 == 0 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .vectors, in: container, debugDescription: "not base64 float32 values")
            }
            return data.withUnsafeBytes { raw in
                (0..<(raw.count / 4)).map {
                    Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
                }
            }
        }
        promptTokens = try container.decode(Int.self, forKey: .promptTokens)
        totalNanos = try container.decode(UInt64.self, forKey: .totalNanos)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let encoded = vectors.map { vector in
            var bytes = [UInt8]()
            bytes.reserveCapacity(vector.count * 4)
            for value in vector {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            }
            return Data(bytes).base64EncodedString()
        }
        try container.encode(encoded, forKey: .vectors)
        try container.encode(promptTokens, forKey: .promptTokens)
        try container.encode(totalNanos, forKey: .totalNanos)
    }
}

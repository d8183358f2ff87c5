/// Embedding vectors as every engine hands them out: scaled to length 1 (`EmbeddingResult`'s contract).
public enum UnitVector {
    /// `vector` scaled to unit length; a zero vector, or one whose length is not finite, stays as it is.
    public static func normalized(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
        guard norm > 0, norm.isFinite else { return vector }
        return vector.map { Float(Double($0) / norm) }
    }
}

/// Derives the friendly name a model file is listed under.
public enum ModelNaming {
    /// Quantization labels that GGUF file names end with (`model.Q4_K_M.gguf`, `model-f16.gguf`).
    private static var ggufQuantizationPattern: Regex<Substring> {
        #/[-._](?:i?q\d+(?:_[a-z0-9]+)*|[bf]f?16|f32|bf16)$/#.ignoresCase()
    }

    /// The friendly name of a GGUF file: its stem, lower-cased, without a trailing quantization label.
    ///
    /// `SmolLM2-135M-Instruct.Q4_1.gguf` is `smollm2-135m-instruct`.
    public static func friendlyName(forGGUF fileName: String) -> String {
        var stem = fileName
        if stem.lowercased().hasSuffix(".gguf") { stem.removeLast(5) }
        let lowered = stem.lowercased()
        if let match = lowered.firstMatch(of: ggufQuantizationPattern), match.range.lowerBound > lowered.startIndex {
            return String(lowered[..<match.range.lowerBound])
        }
        return lowered
    }

    /// The quantization label of a GGUF file name, upper-cased (`Q4_1`), when it has one.
    public static func quantization(forGGUF fileName: String) -> String? {
        var stem = fileName
        if stem.lowercased().hasSuffix(".gguf") { stem.removeLast(5) }
        guard let match = stem.firstMatch(of: ggufQuantizationPattern) else { return nil }
        return String(stem[match.range].dropFirst()).uppercased()
    }
}

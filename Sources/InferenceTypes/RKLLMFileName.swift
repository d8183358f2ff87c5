/// What the name of an `.rkllm` file tells: the format has no public spec, so the friendly name, the
/// context limit, the target platform and the quantization are read from the name that converters give it.
///
/// `Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx16384-rk3588.rkllm` is `qwen3-0.6b`, 16384 tokens, rk3588, w8a8.
public struct RKLLMFileName: Sendable, Equatable {
    /// The name clients use.
    public var friendlyName: String
    /// The context limit from a `ctx<N>` tag, 4096 when there is none.
    public var contextLength: Int
    /// The target platform (`rk3588`, `rk3576`, `rk3562`, `rv1126b`), when the name has one.
    public var platform: String?
    /// The quantization (`w8a8`, `w4a16_g128`), when the name has one.
    public var quantization: String?

    /// The context limit assumed when the name does not give one.
    public static let defaultContextLength = 4096

    /// Reads a file name (with or without the `.rkllm` extension).
    public init(_ fileName: String) {
        var stem = fileName.lowercased()
        if stem.hasSuffix(".rkllm") { stem.removeLast(6) }
        // `Org_Model-...`: a first underscore part without digits is the publisher, not the model.
        var parts = stem.split(separator: "_", omittingEmptySubsequences: true).map(String.init)
        if parts.count > 1, !parts[0].contains(where: \.isNumber) { parts.removeFirst() }
        let tokens = parts.joined(separator: "-").split(separator: "-", omittingEmptySubsequences: true)
            .map(String.init)

        var nameTokens: [String] = []
        var contextLength: Int?
        var platform: String?
        var quantization: String?
        var inTags = false
        for (index, token) in tokens.enumerated() {
            if let context = Self.context(token) {
                contextLength = context
            } else if Self.isPlatform(token) {
                platform = token
            } else if Self.isQuantization(token) {
                quantization = token
                if index + 1 < tokens.count, Self.isGroupSize(tokens[index + 1]) {
                    quantization = token + "_" + tokens[index + 1]
                }
            }
            if !inTags && Self.isBuildTag(token) { inTags = true }
            if !inTags { nameTokens.append(token) }
        }
        if nameTokens.count > 1, nameTokens.last == "it" { nameTokens.removeLast() }
        self.friendlyName = Self.joinFamilyVersions(nameTokens).joined(separator: "-")
        self.contextLength = contextLength ?? Self.defaultContextLength
        self.platform = platform
        self.quantization = quantization
    }

    /// `gemma`, `3` becomes `gemma3`: a family name followed by its bare version number.
    private static func joinFamilyVersions(_ tokens: [String]) -> [String] {
        var joined: [String] = []
        for token in tokens {
            if let last = joined.last, last.allSatisfy(\.isLetter), token.allSatisfy({ $0.isNumber || $0 == "." }),
                token.first?.isNumber == true
            {
                joined[joined.count - 1] = last + token
            } else {
                joined.append(token)
            }
        }
        return joined.isEmpty ? ["model"] : joined
    }

    private static func context(_ token: String) -> Int? {
        guard token.hasPrefix("ctx") else { return nil }
        return Int(token.dropFirst(3))
    }

    private static func isPlatform(_ token: String) -> Bool {
        ["rk3588", "rk3576", "rk3562", "rv1126b", "rk3566", "rk3568"].contains(token)
    }

    private static func isQuantization(_ token: String) -> Bool {
        // w8a8, w4a16, w4a8 (weights and activations bits)
        guard token.first == "w", let a = token.firstIndex(of: "a") else { return false }
        let weights = token[token.index(after: token.startIndex)..<a]
        let activations = token[token.index(after: a)...]
        return !weights.isEmpty && !activations.isEmpty && weights.allSatisfy(\.isNumber)
            && activations.allSatisfy(\.isNumber)
    }

    private static func isGroupSize(_ token: String) -> Bool {
        token.count > 1 && token.first == "g" && token.dropFirst().allSatisfy(\.isNumber)
    }

    /// Tags converters append after the model's own name.
    private static func isBuildTag(_ token: String) -> Bool {
        if context(token) != nil || isPlatform(token) || isQuantization(token) || isGroupSize(token) { return true }
        for prefix in ["opt", "hybrid", "npu", "level"]
        where token.hasPrefix(prefix) && token.dropFirst(prefix.count).allSatisfy(\.isNumber) {
            return true
        }
        return ["ratio", "fp16", "rkllm"].contains(token)
    }
}

import FoundationEssentials
import InferenceTypes

/// Finds the RKNN vision encoder an `.rkllm` model is paired with.
///
/// A sidecar's `vision.encoder` names it. Without one, an `.rknn` file beside the model is its encoder when its
/// name has a vision word (`vision`, `visual`, `vit`, `image`) and shares the model's stem, the name's parts
/// before the quantization and platform tags (`qwen2_vl_2b_vision_rk3588.rknn` for
/// `qwen2_vl_2b_w8a8_rk3588.rkllm`, `Qwen2-VL-2B-Instruct-vision-rk3588.rknn` for
/// `Qwen2-VL-2B-Instruct-w8a8-rk3588.rkllm`). When no name matches, a directory holding one `.rkllm` file and
/// one encoder of a generic name (`vision_transformer.rknn`, nothing before its vision word) pairs them.
enum RKLLMVisionPairing {
    /// The words that mark an encoder's file name.
    static let visionWords: Set<String> = ["vision", "visual", "vit", "image", "img"]

    /// The vision configuration of the model at `modelPath`, `nil` for a text-only model. A sidecar's encoder
    /// is taken as named, present or not: the load reports a missing one.
    static func configuration(
        modelPath: String, modelName: String, sidecar: RKLLMSidecar.Vision?, directoryEntries: [String]? = nil
    ) -> RKLLMVisionConfiguration? {
        let directory = PathNames.directory(modelPath)
        if let encoder = sidecar?.encoder {
            return RKLLMVisionConfiguration(
                encoderPath: directory + "/" + encoder, modelName: modelName, sidecar: sidecar)
        }
        let entries =
            directoryEntries ?? (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        guard let encoder = encoderFileName(forModel: PathNames.fileName(modelPath), among: entries) else {
            return nil
        }
        return RKLLMVisionConfiguration(encoderPath: directory + "/" + encoder, modelName: modelName, sidecar: sidecar)
    }

    /// The encoder file among `entries` (file names of one directory) for the model file `modelFile`.
    static func encoderFileName(forModel modelFile: String, among entries: [String]) -> String? {
        let candidates = entries.filter { $0.lowercased().hasSuffix(".rknn") && hasVisionWord($0) }.sorted()
        guard !candidates.isEmpty else { return nil }
        let model = stem(of: modelFile)
        var best: (name: String, shared: Int)?
        for candidate in candidates {
            let encoder = stem(of: candidate)
            let shared = zip(model, encoder).prefix { $0 == $1 }.count
            // The shorter stem must be shared whole: `qwen2-vl-2b` fits `qwen2-vl-2b-instruct`, not `qwen2-vl-7b`.
            guard shared > 0, shared == min(model.count, encoder.count) else { continue }
            if shared > best?.shared ?? 0 { best = (candidate, shared) }
        }
        if let best { return best.name }
        // A generic name (`vision_transformer.rknn`: no stem of its own) belongs to the directory's lone model.
        let models = entries.filter { $0.lowercased().hasSuffix(".rkllm") }
        return models.count == 1 && candidates.count == 1 && stem(of: candidates[0]).isEmpty ? candidates[0] : nil
    }

    /// A file name's parts (lowercased, split at `-`, `_` and spaces) before the first converter tag or vision
    /// word, without the extension and a publisher prefix (`Qwen_`).
    static func stem(of fileName: String) -> [String] {
        var name = fileName.lowercased()
        if let dot = name.lastIndex(of: "."), ["rkllm", "rknn"].contains(String(name[name.index(after: dot)...])) {
            name = String(name[..<dot])
        }
        var parts = name.split(separator: "_", omittingEmptySubsequences: true).map(String.init)
        if parts.count > 1, !parts[0].contains(where: \.isNumber), !visionWords.contains(parts[0]) {
            parts.removeFirst()
        }
        var stem: [String] = []
        for token in parts.joined(separator: "-").split(whereSeparator: { $0 == "-" || $0 == " " }).map(String.init) {
            if visionWords.contains(token) || isTag(token) { break }
            stem.append(token)
        }
        return stem
    }

    private static func hasVisionWord(_ fileName: String) -> Bool {
        let name = fileName.lowercased()
        if name.contains("vision") || name.contains("visual") { return true }
        let words = name.split { !$0.isLetter && !$0.isNumber }.map(String.init)
        return words.contains { visionWords.contains($0) }
    }

    /// A converter's tag: quantization, platform, context, optimisation level and the like.
    private static func isTag(_ token: String) -> Bool {
        if ["rk3588", "rk3576", "rk3562", "rv1126b", "rk3566", "rk3568", "fp16", "fp32", "int8", "rkllm", "rknn"]
            .contains(token)
        {
            return true
        }
        if token.first == "w", let a = token.firstIndex(of: "a") {
            let weights = token[token.index(after: token.startIndex)..<a]
            let activations = token[token.index(after: a)...]
            if !weights.isEmpty, !activations.isEmpty, weights.allSatisfy(\.isNumber),
                activations.allSatisfy(\.isNumber)
            {
                return true
            }
        }
        for prefix in ["ctx", "opt", "hybrid", "npu", "level", "g"]
        where token.count > prefix.count && token.hasPrefix(prefix)
            && token.dropFirst(prefix.count).allSatisfy(\.isNumber)
        {
            return true
        }
        return false
    }
}

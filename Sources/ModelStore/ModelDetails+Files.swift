import EngineSupport
import FoundationEssentials
import GGUF
public import InferenceTypes
import Synchronization

extension ModelDetails {
    private static let cache = Mutex<[String: ModelDetails]>([:])

    /// The most file versions remembered; past it the cache starts over.
    private static var cacheCapacity: Int { 1024 }

    /// The details of a model file, read once per file version (path, size and modification time).
    public static func of(_ model: ModelDescriptor) -> ModelDetails {
        let key = "\(model.path)|\(model.sizeBytes)|\(model.modifiedAt.timeIntervalSince1970)"
        if let cached = cache.withLock({ $0[key] }) { return cached }
        let details: ModelDetails
        switch model.format {
        case .gguf: details = gguf(model)
        case .rkllm: details = rkllm(model)
        }
        cache.withLock { cache in
            if cache.count >= cacheCapacity { cache.removeAll() }
            cache[key] = details
        }
        return details
    }

    private static func gguf(_ model: ModelDescriptor) -> ModelDetails {
        let metadata: GGUFMetadata?
        let problem: ModelFileError?
        do {
            metadata = try GGUFMetadata(path: model.path)
            problem = nil
        } catch {
            metadata = nil
            problem = error
        }
        let fileType = metadata?.integer("general.file_type").flatMap { Int(exactly: $0) }.flatMap {
            fileTypeNames[$0]
        }
        var details = ModelDetails(
            family: metadata?.architecture ?? "unknown",
            parameterSize: metadata?.string("general.size_label") ?? "",
            quantization: fileType ?? ModelNaming.quantization(forGGUF: model.fileName) ?? "",
            contextLength: metadata?.contextLength.flatMap { $0 > 0 ? $0 : nil } ?? 4096,
            embeddingLength: metadata?.embeddingLength.flatMap { $0 > 0 ? $0 : nil },
            chatTemplate: metadata?.chatTemplate, problem: problem)
        details.isEmbeddingModel = metadata?.isEmbeddingModel ?? false
        return details
    }

    private static func rkllm(_ model: ModelDescriptor) -> ModelDetails {
        let name = RKLLMFileName(model.fileName)
        let tokens = name.friendlyName.split(separator: "-").map(String.init)
        let size = tokens.last { token in
            guard let unit = token.last, unit == "b" || unit == "m" else { return false }
            return token.dropLast().allSatisfy { $0.isNumber || $0 == "." } && token.count > 1
        }
        return ModelDetails(
            family: tokens.first ?? "rkllm", parameterSize: size?.uppercased() ?? "",
            quantization: name.quantization?.uppercased() ?? "", contextLength: name.contextLength,
            embeddingLength: nil, chatTemplate: nil, problem: nil)
    }

    /// `general.file_type` values (llama.cpp's `llama_ftype`) and their usual names.
    private static let fileTypeNames: [Int: String] = [
        0: "F32", 1: "F16", 2: "Q4_0", 3: "Q4_1", 7: "Q8_0", 8: "Q5_0", 9: "Q5_1", 10: "Q2_K", 11: "Q3_K_S",
        12: "Q3_K_M", 13: "Q3_K_L", 14: "Q4_K_S", 15: "Q4_K_M", 16: "Q5_K_S", 17: "Q5_K_M", 18: "Q6_K",
        19: "IQ2_XXS", 20: "IQ2_XS", 21: "Q2_K_S", 22: "IQ3_XS", 23: "IQ3_XXS", 24: "IQ1_S", 25: "IQ4_NL",
        26: "IQ3_S", 27: "IQ3_M", 28: "IQ2_S", 29: "IQ2_M", 30: "IQ4_XS", 31: "IQ1_M", 32: "BF16",
    ]
}

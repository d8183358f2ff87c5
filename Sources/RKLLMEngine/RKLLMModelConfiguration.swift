import EngineSupport
import FoundationEssentials
import InferenceTypes

/// Everything the engine initialises and runs one `.rkllm` model with: what its file name says, what its
/// sidecar overrides, and what the board calls for.
struct RKLLMModelConfiguration: Sendable {
    var path: String
    var name: String
    var contextLength: Int
    var trainedContextLength: Int
    var maxNewTokens: Int
    var quantization: String?
    var platform: String
    /// The chat format, or `nil` to keep the runtime's built-in template.
    var format: RKLLMChatFormat?
    /// Whether requests think when they do not say.
    var thinksByDefault: Bool
    /// Whether the model can think: its family thinks, or its sidecar says it does.
    var canThink: Bool
    /// The sidecar's Jinja chat template, which the core renders conversations with.
    var chatTemplate: String?
    /// Sampling used when a request leaves a value out (and always on the 1.2 layout).
    var sampling: SamplingOptions
    var cpuMask: UInt32
    var cpuCount: Int8
    var baseDomainID: Int32
    var embedFlash: Bool
    var keep: Int32
    /// Inputs per `rkllm_run` (`extend_param.n_batch`): `--parallel` when given, else the sidecar's, else 1.
    var batchSize: Int
    /// The vision encoder the model is paired with (`RKLLMVisionPairing`), `nil` for a text-only model.
    var vision: RKLLMVisionConfiguration?
    /// The token ids the engine ends a generation at (`RKLLMEndOfSequence`).
    var endOfSequence: RKLLMEndOfSequence
    /// Chat, embeddings or reranking.
    var purpose: RKLLMModelPurpose

    init(descriptor: ModelDescriptor, sidecar: RKLLMSidecar?, options: RKLLMEngineLoader.Options) {
        let fileName = RKLLMFileName(descriptor.fileName)
        path = descriptor.path
        name = sidecar?.name ?? fileName.friendlyName
        trainedContextLength = fileName.contextLength
        let configured = sidecar?.contextLength ?? fileName.contextLength
        // A request's `num_ctx` widens the context up to what the file was converted for, never narrows it.
        let trained = fileName.contextLength
        contextLength = options.contextLength.map { max(configured, min($0, trained)) } ?? configured
        maxNewTokens = min(sidecar?.maxNewTokens ?? contextLength, contextLength)
        quantization = fileName.quantization
        platform = Self.boardPlatform() ?? fileName.platform ?? "rk3588"
        format = sidecar?.template?.format ?? RKLLMChatFormat.forModel(named: sidecar?.family ?? name)
        thinksByDefault = sidecar?.thinking ?? false
        let family = (sidecar?.family ?? name).lowercased()
        canThink =
            sidecar?.thinking == true || format?.noThinkingSuffix != nil
            || ["qwen3", "deepseek-r1", "qwq"].contains { family.hasPrefix($0) }
        chatTemplate = sidecar?.chatTemplate
        let defaults = sidecar?.sampling
        sampling = SamplingOptions(
            temperature: defaults?.temperature, topK: defaults?.topK, topP: defaults?.topP,
            repeatPenalty: defaults?.repeatPenalty, presencePenalty: defaults?.presencePenalty,
            frequencyPenalty: defaults?.frequencyPenalty)
        // The big cores (4-7) on RK3588 and RK3576; the four cores of RK3562 and RV1126B.
        let bigCores = ["rk3588", "rk3576"].contains(platform)
        cpuMask = options.cpuMask ?? (bigCores ? 0xF0 : 0x0F)
        cpuCount = Int8(truncatingIfNeeded: options.cpuMask.map { $0.nonzeroBitCount } ?? 4)
        baseDomainID = Int32(clamping: sidecar?.baseDomainID ?? 0)
        embedFlash = sidecar?.embedFlash ?? true
        keep = Int32(clamping: sidecar?.keep ?? -1)
        let sizes = RKLLMSidecar.batchSizes
        let wanted = options.parallel > 0 ? options.parallel : sidecar?.batchSize ?? 1
        batchSize = min(max(wanted, sizes.lowerBound), sizes.upperBound)
        vision = RKLLMVisionPairing.configuration(
            modelPath: descriptor.path, modelName: sidecar?.family ?? name, sidecar: sidecar?.vision)
        endOfSequence = RKLLMEndOfSequence(sidecar: sidecar?.eosTokenIDs, family: family)
        purpose = RKLLMModelPurpose(sidecar: sidecar, name: name)
    }

    /// The SoC of this board from its device tree (`rockchip,rk3588`), `nil` off a Rockchip board.
    static func boardPlatform() -> String? {
        guard let data = FileManager.default.contents(atPath: "/proc/device-tree/compatible") else { return nil }
        let entries = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self).lowercased() }
        for entry in entries where entry.hasPrefix("rockchip,") {
            let chip = String(entry.dropFirst("rockchip,".count))
            if ["rk3588", "rk3588s", "rk3576", "rk3562", "rv1126b"].contains(chip) {
                return chip == "rk3588s" ? "rk3588" : chip
            }
        }
        return nil
    }
}

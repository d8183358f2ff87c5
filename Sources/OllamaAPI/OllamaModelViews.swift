import FoundationEssentials
import InferenceCore
import InferenceTypes

/// `details` of a model in Ollama's listings.
struct OllamaModelDetails: Encodable, Sendable {
    var parentModel = ""
    var format: String
    var family: String
    var families: [String]
    var parameterSize: String
    var quantizationLevel: String
    var contextLength: Int?
    var embeddingLength: Int?

    enum CodingKeys: String, CodingKey {
        case format, family, families
        case parentModel = "parent_model", parameterSize = "parameter_size", quantizationLevel = "quantization_level"
        case contextLength = "context_length", embeddingLength = "embedding_length"
    }

    /// The details of a model; `parent` is the base of a derived model (`parent_model`).
    init(_ model: ModelDescriptor, _ details: ModelDetails, parent: String = "") {
        parentModel = parent
        format = model.format.rawValue
        family = details.family
        families = [details.family]
        parameterSize = details.parameterSize
        quantizationLevel = details.quantization
        contextLength = details.contextLength
        embeddingLength = details.embeddingLength
    }
}

/// Ollama's names for our models: `id:latest`, which clients send back and which resolves to the id.
enum OllamaNames {
    static func name(_ model: ModelDescriptor) -> String {
        model.id.contains(":") ? model.id : model.id + ":latest"
    }

    /// The registry name of what a client sent: `name:latest` is `name`.
    static func resolvable(_ name: String) -> String {
        name.hasSuffix(":latest") ? String(name.dropLast(7)) : name
    }

    /// A stable 64-hex-digit identifier of a model file version (not a content hash: hashing gigabytes on
    /// every listing would be too slow). It changes when the file's size or modification time changes.
    static func digest(_ model: ModelDescriptor) -> String {
        let key = Array("\(model.fileName)|\(model.sizeBytes)|\(model.modifiedAt.timeIntervalSince1970)".utf8)
        return (0..<4).map { seed -> String in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325 &+ UInt64(seed) &* 0x1000_0000_01b3
            for byte in key {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            let hex = String(hash, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

/// One entry of `GET /api/tags`.
struct OllamaTagsEntry: Encodable, Sendable {
    var name: String
    var model: String
    var modifiedAt: String
    var size: Int64
    var digest: String
    var details: OllamaModelDetails
    var capabilities: [String]

    enum CodingKeys: String, CodingKey {
        case name, model, size, digest, details, capabilities
        case modifiedAt = "modified_at"
    }

    init(_ descriptor: ModelDescriptor, details: ModelDetails, capabilities: ModelCapabilities, parent: String) {
        name = OllamaNames.name(descriptor)
        model = name
        modifiedAt = OllamaTimestamp.string(descriptor.modifiedAt)
        size = descriptor.sizeBytes
        digest = OllamaNames.digest(descriptor)
        self.details = OllamaModelDetails(descriptor, details, parent: parent)
        self.capabilities = capabilities.names
    }
}

/// One entry of `GET /api/ps`.
struct OllamaRunningEntry: Encodable, Sendable {
    var name: String
    var model: String
    var size: Int64
    var digest: String
    var details: OllamaModelDetails
    var expiresAt: String
    var sizeVRAM: Int64
    var contextLength: Int

    enum CodingKeys: String, CodingKey {
        case name, model, size, digest, details
        case expiresAt = "expires_at", sizeVRAM = "size_vram", contextLength = "context_length"
    }

    init(_ loaded: LoadedModelStatus, details: ModelDetails) {
        let descriptor = loaded.descriptor
        name = OllamaNames.name(descriptor)
        model = name
        let info = loaded.info
        size = Int64(clamping: info.weightsBytes + info.kvCacheBytes)
        digest = OllamaNames.digest(descriptor)
        self.details = OllamaModelDetails(descriptor, details)
        // In use or kept forever: no expiry yet, reported as far ahead as Ollama does for "forever".
        let expiry: Date
        switch (loaded.expiresAt, loaded.keepAlive) {
        case (let date?, _): expiry = date
        case (nil, .forever): expiry = Date().addingTimeInterval(100 * 365 * 86400)
        case (nil, .seconds(let seconds)): expiry = Date().addingTimeInterval(seconds)
        }
        expiresAt = OllamaTimestamp.string(expiry)
        // What the runtime keeps in accelerator memory: for an NPU model its weights and KV cache (the same
        // footprint as `size`; RKLLM reports no finer figure), for a CPU model none.
        sizeVRAM = descriptor.format == .rkllm ? size : 0
        contextLength = info.contextLength
    }
}

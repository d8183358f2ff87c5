import EngineSupport
import FoundationEssentials
import InferenceTypes
import Synchronization

/// The capabilities of models that are not loaded, kept per version of the model file and of its sidecar
/// (path, size, modification time of each), so that `/api/tags` over many models reads each header once.
final class ModelCapabilityCache: Sendable {
    /// The cache of this process.
    static let shared = ModelCapabilityCache()

    /// The most versions remembered; past it the cache starts over.
    private static var capacity: Int { 1024 }

    private let entries = Mutex<[String: ModelCapabilities]>([:])

    /// The capabilities of `model`'s file as it is now, computed by `compute` when this version is new.
    func capabilities(of model: ModelDescriptor, compute: () -> ModelCapabilities) -> ModelCapabilities {
        let key = Self.key(model)
        if let cached = entries.withLock({ $0[key] }) { return cached }
        let capabilities = compute()
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll() }
            entries[key] = capabilities
        }
        return capabilities
    }

    /// The version of a model's file and sidecar: a changed sidecar (a chat template added) is a new one.
    private static func key(_ model: ModelDescriptor) -> String {
        let sidecar = (try? ModelFile.status(of: model.path + ".json")).map {
            "\($0.size)|\($0.modifiedAt.timeIntervalSince1970)"
        }
        return "\(model.path)|\(model.sizeBytes)|\(model.modifiedAt.timeIntervalSince1970)|\(sidecar ?? "-")"
    }
}

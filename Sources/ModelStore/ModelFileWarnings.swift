import EngineSupport
import GGUF
import InferenceTypes
import Logging
import Synchronization

/// Warns about each unusable file in the models directory once, not on every listing (clients such as
/// Open WebUI poll the listing every few seconds).
final class ModelFileWarnings: Sendable {
    private let logger: Logger?
    private let warned = Mutex<Set<String>>([])

    /// The most distinct warnings remembered; past it the memory starts over (and may warn again).
    private static var capacity: Int { 4096 }

    init(logger: Logger?) {
        self.logger = logger
    }

    /// Logs `message` unless a warning with this `key` was logged already.
    func warnOnce(key: String, fileName: String, _ message: @autoclosure () -> String) {
        guard let logger else { return }
        let first = warned.withLock { warned in
            if warned.count >= Self.capacity { warned.removeAll() }
            return warned.insert(key).inserted
        }
        if first { logger.warning("\(message())", metadata: ["model.file": "\(fileName)"]) }
    }
}

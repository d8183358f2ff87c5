public import Conversation
import EngineSupport
public import InferenceTypes
import ModelStore
import SchemaGrammar
import Synchronization

/// A request's hold on a loaded model: while a lease is held the model is not unloaded. Released
/// explicitly, or when the lease is deallocated (a stream that ends or is abandoned).
public final class ModelLease: Sendable {
    /// The model.
    public let descriptor: ModelDescriptor
    /// Its engine.
    public let engine: any Engine
    /// Its parsed chat template and what it can do in a conversation.
    public let conversation: ConversationProfile
    /// Nanoseconds spent loading it for this request (0 when it was loaded already).
    public let loadNanos: UInt64
    /// Requests that held the model when this one was admitted: they run or wait before it.
    public let requestsAhead: Int
    private let manager: ModelManager
    private let released = Atomic<Bool>(false)

    init(
        manager: ModelManager, descriptor: ModelDescriptor, engine: any Engine, conversation: ConversationProfile,
        loadNanos: UInt64, requestsAhead: Int
    ) {
        self.manager = manager
        self.requestsAhead = requestsAhead
        self.descriptor = descriptor
        self.engine = engine
        self.conversation = conversation
        self.loadNanos = loadNanos
    }

    /// Ends the lease (once; later calls do nothing).
    public func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let manager = self.manager
        let descriptor = self.descriptor
        Task { await manager.release(descriptor) }
    }

    deinit {
        release()
    }
}

import Conversation
import EngineSupport
import InferenceTypes
import ModelStore
import SchemaGrammar
import Synchronization

/// A request's hold on a loaded model: while a lease is held the model is not unloaded. Released once,
/// with `releaseNow()` by the request that holds it, or with `release()` from code that cannot wait.
final class ModelLease: Sendable {
    /// The model.
    let descriptor: ModelDescriptor
    /// Its engine.
    let engine: any Engine
    /// Its parsed chat template and what it can do in a conversation.
    let conversation: ConversationProfile
    /// The admission and order of the model's generations.
    let scheduler: Scheduler
    /// Nanoseconds spent loading it for this request (0 when it was loaded already).
    let loadNanos: UInt64
    private let manager: ModelManager
    private let released = Atomic<Bool>(false)

    init(
        manager: ModelManager, descriptor: ModelDescriptor, engine: any Engine, conversation: ConversationProfile,
        scheduler: Scheduler, loadNanos: UInt64
    ) {
        self.manager = manager
        self.descriptor = descriptor
        self.engine = engine
        self.conversation = conversation
        self.scheduler = scheduler
        self.loadNanos = loadNanos
    }

    /// Ends the lease and waits until the manager has acted on it (a model with keep-alive 0 is unloaded when
    /// this returns). Later calls do nothing.
    func releaseNow() async {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await manager.release(descriptor)
    }

    /// Ends the lease without waiting: the manager acts on it in turn. Later calls do nothing.
    func release() {
        guard !released.exchange(true, ordering: .acquiringAndReleasing) else { return }
        manager.releaseLater(descriptor)
    }
}

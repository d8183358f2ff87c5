import EngineSupport
import InferenceTypes
import Synchronization

extension RunnerProcess {
    /// Routes one reply of the runner to the request waiting for it; a reply for a request that already ended
    /// (cancelled here, or unknown) is dropped.
    func handle(_ reply: RunnerReply) {
        switch reply {
        case .loaded(let info, let slots):
            state.withLock { $0.machine.loaded() }?.resume(returning: RunnerLoadedModel(info: info, slots: slots))
        case .loadFailed(let error):
            state.withLock { $0.machine.loadFailed() }?.resume(throwing: error)
        case .event(let id, let event):
            let final = if case .done = event { true } else { false }
            guard case .stream(let continuation) = state.withLock({ $0.machine.reply(id: id, final: final) }) else {
                return
            }
            continuation.yield(event)
            if final { continuation.finish() }
        case .failed(let id, let error):
            state.withLock { $0.machine.reply(id: id, final: true) }?.fail(error)
        case .embedded(let id, let result):
            switch state.withLock({ $0.machine.reply(id: id, final: true) }) {
            case .embedding(let continuation): continuation.resume(returning: result)
            case let other?: other.fail(Self.mismatched)
            case nil: break
            }
        case .reranked(let id, let result):
            switch state.withLock({ $0.machine.reply(id: id, final: true) }) {
            case .scores(let continuation): continuation.resume(returning: result)
            case let other?: other.fail(Self.mismatched)
            case nil: break
            }
        case .tokenized(let id, let tokens):
            switch state.withLock({ $0.machine.reply(id: id, final: true) }) {
            case .tokens(let continuation): continuation.resume(returning: tokens)
            case let other?: other.fail(Self.mismatched)
            case nil: break
            }
        case .detokenized(let id, let text):
            switch state.withLock({ $0.machine.reply(id: id, final: true) }) {
            case .text(let continuation): continuation.resume(returning: text)
            case let other?: other.fail(Self.mismatched)
            case nil: break
            }
        case .savedPromptCache(let id, let result):
            switch state.withLock({ $0.machine.reply(id: id, final: true) }) {
            case .promptCache(let continuation): continuation.resume(returning: result)
            case let other?: other.fail(Self.mismatched)
            case nil: break
            }
        case .unloaded:
            state.withLock { $0.machine.unloaded() }
        }
    }

    private static var mismatched: InferenceError {
        .engineFailure("the model's runner process answered a request with the wrong kind of reply")
    }
}

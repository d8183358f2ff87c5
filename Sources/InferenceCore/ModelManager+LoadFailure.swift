import InferenceTypes

extension ModelManager {
    /// A failed load's error with what the client needs to act on it: an RKLLM load that ran the NPU out of
    /// memory (the runner says "NPU memory") gets the models loaded now and how to unload one.
    static func describedLoadFailure(_ error: any Error, loaded: [String]) -> any Error {
        guard case .modelLoadFailed(let model, let reason)? = error as? InferenceError, reason.contains("NPU memory")
        else { return error }
        let others = loaded.filter { $0 != model }
        let names = others.isEmpty ? "none" : others.sorted().joined(separator: ", ")
        return InferenceError.modelLoadFailed(
            model: model,
            reason: """
                \(reason); models loaded now: \(names) — unload one (keep_alive 0, POST /v1/models/unload or \
                DELETE the model) and retry
                """)
    }
}

import InferenceTypes

extension RunnerLoader {
    /// The error a load that ended in the runner's death is reported with. An RKLLM runner killed by a signal
    /// while loading crashed inside the runtime (`rkllm_init`): runtime 1.3.0 segfaults there when NPU memory is
    /// exhausted instead of returning -1 (rknn-llm #522), so the error says so and names the file; the model
    /// manager adds the models loaded at the time.
    static func loadFailure(_ error: any Error, loading model: ModelDescriptor, format: ModelFormat) -> any Error {
        guard format == .rkllm, case .engineFailure(let reason)? = error as? InferenceError,
            reason.hasSuffix("while loading"), let signal = signalNumber(in: reason)
        else { return error }
        let name = signalNames[signal] ?? "signal \(signal)"
        var text = "the RKLLM runtime crashed in rkllm_init (\(name)) loading '\(model.fileName)'"
        if signal == 11 { text += "; runtime 1.3.0 does this when NPU memory is exhausted" }
        return InferenceError.modelLoadFailed(model: model.id, reason: text)
    }

    /// The signal of a runner death "was killed by signal N (...)", `nil` for an exit.
    private static func signalNumber(in reason: String) -> Int32? {
        guard let range = reason.ranges(of: "killed by signal ").first else { return nil }
        return Int32(reason[range.upperBound...].prefix { $0.isNumber })
    }

    /// The signals a crashing runtime dies of, by number (Linux).
    private static let signalNames: [Int32: String] = [
        4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV",
    ]
}

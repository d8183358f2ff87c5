import InferenceTypes

/// The cancellation flags of the sequences in the decode under way: llama.cpp's abort callback stops the
/// decode only when every one of them is raised, so one client leaving never disturbs the others.
///
/// `flags` changes only on the model thread between decodes; during a decode it is only read.
final class LlamaAbortWatch {
    /// One flag per sequence in the batch (a sequence may appear more than once).
    var flags: [CancellationFlag] = []

    init() {
        flags.reserveCapacity(16)
    }

    /// Whether the decode under way has nobody left to serve.
    var everyoneLeft: Bool {
        !flags.isEmpty && flags.allSatisfy(\.isCancelled)
    }
}

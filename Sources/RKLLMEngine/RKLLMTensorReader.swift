import CRKLLM

/// The infer modes that answer with a tensor instead of text, and what is kept of it.
enum RKLLMTensorMode: Sendable, Equatable {
    /// `RKLLM_INFER_GET_LAST_HIDDEN_LAYER`, the rows pooled into one vector.
    case lastHiddenLayer(RKLLMPooling)
    /// `RKLLM_INFER_GET_LOGITS`, the last token's logits of these two tokens kept.
    case logits(yes: Int, no: Int)

    /// The runtime's `RKLLMInferMode` value.
    var inferMode: Int32 {
        switch self {
        case .lastHiddenLayer: RKLLM_INFER_GET_LAST_HIDDEN_LAYER
        case .logits: RKLLM_INFER_GET_LOGITS
        }
    }
}

/// The state of one tensor run (`RKLLMHandle.runTensors`), reached from the runtime's callback through its
/// `userdata` pointer: it copies out what it needs while the callback lasts, since the runtime frees the tensor
/// when the callback returns. Only batch element 0 is read; the others pad the batch.
final class RKLLMTensorReader: RKLLMResultReceiver {
    let mode: RKLLMTensorMode
    /// The pooled hidden state (not yet normalised); empty until the tensor arrived.
    private(set) var vector: [Float] = []
    /// The last token's logits of "yes" and "no".
    private(set) var logits: (yes: Float, no: Float)?
    /// The input's tokens: the hidden state's rows, else the prefill's count at FINISH.
    private(set) var tokens = 0
    /// Whether the runtime reported an error, or a tensor that does not fit the mode.
    private(set) var failed = false
    /// What was wrong with the tensor, when it was.
    private(set) var problem: String?

    init(mode: RKLLMTensorMode) {
        self.mode = mode
    }

    /// Whether the run produced what its mode asks for.
    var delivered: Bool { !vector.isEmpty || logits != nil }

    func handle(_ results: UnsafeMutablePointer<rkllm_result>?, state: Int32) -> Int32 {
        switch state {
        case RKLLM_RUN_NORMAL:
            guard let result = results?.pointee, !delivered else { return 0 }
            switch mode {
            case .lastHiddenLayer(let pooling): readHiddenStates(result.last_hidden_layer, pooling: pooling)
            case .logits(let yes, let no): readLogits(result.logits, yes: yes, no: no)
            }
        case RKLLM_RUN_FINISH:
            if tokens == 0, let perf = results?.pointee.perf { tokens = Int(perf.prefill_tokens) }
        case RKLLM_RUN_WAITING:
            break
        default:
            failed = true
        }
        return 0
    }

    private func readHiddenStates(_ tensor: rkllm_result_tensor, pooling: RKLLMPooling) {
        let width = Int(tensor.size)
        let rows = Int(tensor.num_tokens)
        guard let data = tensor.data, width > 0, rows > 0 else { return reject("an empty hidden layer") }
        // Valid for rows x width floats until this callback returns, as the runtime documents.
        let states = UnsafeBufferPointer(start: data, count: rows * width)
        tokens = rows
        switch pooling {
        case .last:
            vector = Array(states[(rows - 1) * width..<rows * width])
        case .mean:
            var sums = [Double](repeating: 0, count: width)
            sums.withUnsafeMutableBufferPointer { sums in
                for row in 0..<rows {
                    let base = row * width
                    for column in 0..<width { sums[column] += Double(states[base + column]) }
                }
            }
            vector = sums.map { Float($0 / Double(rows)) }
        }
    }

    private func readLogits(_ tensor: rkllm_result_tensor, yes: Int, no: Int) {
        let vocabulary = Int(tensor.size)
        let rows = Int(tensor.num_tokens)
        guard let data = tensor.data, vocabulary > 0, rows > 0 else { return reject("empty logits") }
        guard yes >= 0, no >= 0, yes < vocabulary, no < vocabulary else {
            return reject("the yes/no tokens \(yes)/\(no) are outside the vocabulary of \(vocabulary)")
        }
        // Valid for rows x vocabulary floats until this callback returns; the last row is the last token's.
        let last = data + (rows - 1) * vocabulary
        logits = (last[yes], last[no])
    }

    private func reject(_ reason: String) {
        failed = true
        problem = reason
    }
}

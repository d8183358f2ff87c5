import CLlama
import EngineSupport
import Glibc
import InferenceTypes

/// The log-probabilities a request asked for, read from the logits of the position just evaluated.
///
/// They are the model's own distribution at that step (the log-softmax of the raw logits), before penalties,
/// temperature, truncation or a grammar shaped the sampling, as llama.cpp's server and OpenAI report them.
struct LlamaLogprobs {
    /// The most alternatives a request may ask for.
    static let maxTopCount = 20

    /// How many of the most likely tokens to report with each sampled one.
    let topCount: Int

    /// Refuses a count outside 0...20.
    init(topCount: Int) throws(InferenceError) {
        guard (0...Self.maxTopCount).contains(topCount) else {
            throw .invalidRequest("logprobs must ask for between 0 and \(Self.maxTopCount) alternatives per token")
        }
        self.topCount = topCount
    }

    /// The entry of the sampled `token`, whose bytes are `piece`, at the step whose logits row `row` of the last
    /// batch holds (-1: its last row).
    func entry(for token: llama_token, piece: [UInt8], in context: LlamaContext, row: Int32 = -1) -> TokenLogprob? {
        let model = context.model
        let count = Int(model.vocabularySize)
        guard let logits = model.api.getLogitsIth(context.handle, row), (0..<count).contains(Int(token)) else {
            return nil
        }
        // The row holds one logit per vocabulary entry until the next decode.
        let values = UnsafeBufferPointer(start: logits, count: count)
        var maximum = -Float.infinity
        for value in values where value > maximum { maximum = value }
        var sum = 0.0
        for value in values { sum += Double(expf(value - maximum)) }
        let normalizer = Double(maximum) + log(sum)

        func candidate(_ id: Int, bytes: [UInt8]) -> TokenLogprob.Candidate {
            TokenLogprob.Candidate(
                token: String(decoding: bytes, as: UTF8.self), bytes: bytes,
                logprob: Double(values[id]) - normalizer)
        }
        let top = mostLikely(values).map { candidate($0, bytes: model.piece(of: llama_token($0))) }
        return TokenLogprob(sampled: candidate(Int(token), bytes: piece), top: top)
    }

    /// The indices of the `topCount` largest values, largest first (the lower index first among equals).
    private func mostLikely(_ values: UnsafeBufferPointer<Float>) -> [Int] {
        guard topCount > 0 else { return [] }
        var best: [(value: Float, index: Int)] = []
        best.reserveCapacity(topCount + 1)
        for (index, value) in values.enumerated() {
            if best.count == topCount, let last = best.last, value <= last.value { continue }
            let position = best.firstIndex { value > $0.value } ?? best.count
            best.insert((value, index), at: position)
            if best.count > topCount { best.removeLast() }
        }
        return best.map(\.index)
    }
}

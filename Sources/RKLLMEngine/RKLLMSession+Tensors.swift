import EngineSupport
import InferenceTypes

/// An input for a tensor run in three parts, of which only the middle one may be cut to fit the context: an
/// embedding's text, a rerank prompt's document.
struct RKLLMTensorInput: Sendable {
    var head = ""
    var body: String
    var tail = ""

    var text: String { head + body + tail }

    /// The input with its body cut to at most `bytes` UTF-8 bytes, on a character boundary.
    func cut(toBodyBytes bytes: Int) -> RKLLMTensorInput {
        var used = 0
        let kept = body.unicodeScalars.prefix { scalar in
            used += scalar.utf8.count
            return used <= bytes
        }
        var cut = self
        cut.body = String(String.UnicodeScalarView(kept))
        return cut
    }
}

extension RKLLMSession {
    /// The most times an input is cut shorter before the engine gives up on fitting it.
    static let maximumCuts = 8

    /// Runs one input in a tensor mode on the model thread and returns what it gave. An input the runtime
    /// refuses for the context is cut shorter and run again when `truncate` is true (the runtime counts the
    /// tokens, this side cannot), else refused with `.contextOverflow`.
    func runTensors(_ input: RKLLMTensorInput, mode: RKLLMTensorMode, truncate: Bool) throws(InferenceError)
        -> RKLLMTensorReader
    {
        guard let handle = currentHandle else { throw .engineFailure("the model \(configuration.name) was unloaded") }
        var input = input
        var cuts = 0
        while true {
            let start = MonotonicClock.now()
            let (status, reader) = handle.runTensors(
                input.text, mode: mode, width: configuration.batchSize, padding: Self.padding)
            if status == 0, !reader.failed, reader.delivered { return reader }
            if let problem = reader.problem { throw .engineFailure("the RKLLM runtime returned \(problem)") }
            let reason = RKLLMOutputTap.shared().lastError(since: start) ?? "rkllm_run returned \(status)"
            guard let overflow = Self.contextOverflow(in: reason, contextLength: configuration.contextLength) else {
                throw .invalidRequest("the RKLLM runtime refused the input: \(reason)")
            }
            let bytes = input.body.utf8.count
            guard truncate, cuts < Self.maximumCuts, bytes > 1 else {
                throw .contextOverflow(promptTokens: overflow.tokens, contextSize: overflow.context)
            }
            // Keep the share of the body that should fit, a little less, and never more than half again.
            let share = Double(overflow.context) / Double(max(overflow.tokens, 1)) * 0.95
            input = input.cut(toBodyBytes: max(1, min(bytes - 1, Int(Double(bytes) * min(share, 0.97)))))
            cuts += 1
        }
    }

    /// The token counts of a runtime error that says the input does not fit the context ("the input has N
    /// tokens, which exceeds the max context length M"), `nil` for any other error. When the numbers cannot be
    /// read the input counts as twice the context.
    static func contextOverflow(in reason: String, contextLength: Int) -> (tokens: Int, context: Int)? {
        let lowered = reason.lowercased()
        guard lowered.contains("context") && (lowered.contains("exceed") || lowered.contains("too long")) else {
            return nil
        }
        let numbers = lowered.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard numbers.count >= 2, numbers[0] > numbers[1], numbers[1] > 0 else {
            return (contextLength * 2, contextLength)
        }
        return (numbers[0], numbers[1])
    }
}

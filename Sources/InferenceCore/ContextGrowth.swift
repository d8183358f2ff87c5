import InferenceTypes

/// When a request's context (`num_ctx`) calls for reloading a loaded model, and with how large a context:
/// Ollama's behaviour, without its churn. A model grows to what is asked, within its trained length and the
/// KV cache the memory budget leaves room for beside its weights; it never shrinks (a later request that asks
/// for less, or for nothing, keeps the larger context), so clients that disagree do not reload it in turns.
enum ContextGrowth {
    /// The largest context `info`'s model may have: its trained length, cut to what `budget` holds of its
    /// weights and KV cache (measured at the loaded context, every slot's); never below the loaded context.
    static func largest(_ info: ModelInfo, budget: UInt64) -> Int {
        var largest = info.trainedContextLength > 0 ? info.trainedContextLength : Int.max
        if budget != .max, info.kvCacheBytes > 0, info.contextLength > 0 {
            let perToken = max(1, info.kvCacheBytes / UInt64(info.contextLength))
            let weights = info.weightsBytes
            let room = budget > weights ? (budget - weights) / perToken : 0
            largest = min(largest, Int(clamping: room))
        }
        return max(largest, info.contextLength)
    }

    /// The context to reload with for a request that asks for `asked` tokens, `nil` when the loaded one
    /// serves it: it is at least as large, or growing cannot give more than the model has (or than a load
    /// that asked for `loadedFor` gave it).
    static func target(asked: Int?, info: ModelInfo, loadedFor: Int, budget: UInt64) -> Int? {
        guard let asked else { return nil }
        let target = min(asked, largest(info, budget: budget))
        return target > max(info.contextLength, loadedFor) ? target : nil
    }
}

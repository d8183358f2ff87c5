import CRKLLM

/// What the runtime's callback hands each result of a run to: the object behind that run's `userdata`.
protocol RKLLMResultReceiver: AnyObject {
    /// Handles one callback; the return value tells the runtime to go on (0) or to stop now (1).
    func handle(_ results: UnsafeMutablePointer<rkllm_result>?, state: Int32) -> Int32
}

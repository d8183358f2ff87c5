import CLlama
import EngineSupport
import InferenceTypes

/// Continuous batching over the sequences of one context: each step builds one batch of one token per decoding
/// slot and a chunk of a prompt being prefilled, decodes it once, and lets each slot sample from its own row.
///
/// A step re-submits itself to the model thread while any slot is busy, so embeddings, tokenizing and other
/// jobs queued meanwhile run between steps; new work joins between steps. Used only on the engine's model thread.
final class LlamaBatchLoop {
    /// The most prompt tokens a step prefills while other slots decode, so that their streams keep flowing.
    static let prefillChunk = 128

    let context: LlamaContext
    let states: (any LlamaSequenceStates)?
    let slots: [LlamaSlot]
    private let thread: ModelThread
    /// Work that arrived and waits for an idle slot, in arrival order.
    var waiting: [LlamaGeneration] = []
    /// The slots in the batch being decoded.
    private var inBatch: [LlamaSlot] = []
    private var stepScheduled = false
    /// The job that runs one step, made once so that stepping allocates nothing.
    private lazy var stepJob: @Sendable () -> Void = { [weak self] in self?.step() }
    private var closed = false
    /// Counts admissions, for the least-recently-used choice.
    var clock: UInt64 = 0

    init(context: LlamaContext, states: (any LlamaSequenceStates)?, thread: ModelThread) {
        self.context = context
        self.states = states
        self.thread = thread
        slots = (0..<context.sequences).map { LlamaSlot(sequence: llama_seq_id($0), capacity: context.size) }
        inBatch.reserveCapacity(slots.count)
        waiting.reserveCapacity(slots.count)
    }

    /// Queues work; it starts at the next step.
    func enqueue(_ generation: LlamaGeneration) {
        guard !closed else {
            generation.fail(.engineFailure("the model was unloaded"))
            return
        }
        if states == nil, generation.savesState || generation.request.promptCache != nil {
            generation.fail(.invalidRequest("prompt caches are off"))
            return
        }
        waiting.append(generation)
        scheduleStep()
    }

    /// Ends every generation and stops stepping; the context is freed afterwards.
    func close() {
        closed = true
        for slot in slots {
            slot.generation?.fail(.engineFailure("the model was unloaded"))
            slot.generation = nil
        }
        for generation in waiting { generation.fail(.engineFailure("the model was unloaded")) }
        waiting.removeAll()
    }

    private func scheduleStep() {
        guard !stepScheduled else { return }
        stepScheduled = true
        thread.submit(stepJob)
    }

    /// One step: frees the slots whose clients left, admits waiting work, decodes one batch.
    private func step() {
        stepScheduled = false
        guard !closed else { return }
        for slot in slots {
            if let generation = slot.generation, generation.cancellation.isCancelled { release(slot, .cancelled) }
        }
        admitWaiting()
        decodeOneBatch()
        if !waiting.isEmpty || slots.contains(where: { !$0.isIdle }) { scheduleStep() }
    }

    /// Ends the slot's generation with `reason` and frees the slot; its tokens stay cached.
    func release(_ slot: LlamaSlot, _ reason: FinishReason) {
        slot.generation?.finish(reason)
        slot.generation = nil
    }

    private func decodeOneBatch() {
        context.resetBatch()
        inBatch.removeAll(keepingCapacity: true)
        for slot in slots {
            guard let generation = slot.generation, let token = generation.pending else { continue }
            generation.row = context.add(token, at: slot.tokens.count, of: slot.sequence, wantsLogits: true)
            context.watch(generation.cancellation)
            inBatch.append(slot)
        }
        var budget = context.batchCapacity - inBatch.count
        if !inBatch.isEmpty { budget = min(budget, Self.prefillChunk) }
        for slot in slots where budget > 0 {
            guard let generation = slot.generation, !generation.isPrefilled else { continue }
            let start = generation.evaluated
            let end = min(generation.prompt.count, start + budget)
            generation.row = -1
            for position in start..<end {
                let last = position == generation.prompt.count - 1
                let row = context.add(generation.prompt[position], at: position, of: slot.sequence, wantsLogits: last)
                if last { generation.row = row }
            }
            generation.inFlight = end - start
            budget -= end - start
            context.watch(generation.cancellation)
            inBatch.append(slot)
        }
        guard !inBatch.isEmpty else { return }
        let status = context.decodeBatch()
        guard status == 0 else {
            failBatch(status)
            return
        }
        for slot in inBatch {
            guard let generation = slot.generation else { continue }
            if let token = generation.pending {
                slot.tokens.append(token)
            } else {
                let start = generation.evaluated
                slot.tokens.append(contentsOf: generation.prompt[start..<start + generation.inFlight])
                generation.evaluated += generation.inFlight
                generation.inFlight = 0
            }
            if generation.cancellation.isCancelled {
                release(slot, .cancelled)
            } else if generation.row >= 0 {
                advance(slot, generation)
            }
        }
    }

    /// After a decode that left logits for the slot: saves the state, or samples and reports the next token.
    private func advance(_ slot: LlamaSlot, _ generation: LlamaGeneration) {
        if case .saveState(let path, _) = generation.output {
            do throws(InferenceError) {
                guard let states else { throw .invalidRequest("prompt caches are off") }
                let bytes = try states.save(slot.sequence, holding: slot.tokens, in: context, to: path)
                generation.saved(bytes: bytes)
            } catch {
                generation.fail(error)
            }
            slot.generation = nil
            return
        }
        guard slot.tokens.count < context.size else {
            release(slot, .length)
            return
        }
        do throws(InferenceError) {
            if let reason = try generation.sampleNext(in: context) { release(slot, reason) }
        } catch {
            generation.fail(error)
            slot.generation = nil
        }
    }

    /// A decode that failed or was aborted: every slot in it ends with the error, and only the positions the
    /// decode may have half written are removed; what the slots held before stays cached.
    private func failBatch(_ status: Int32) {
        for slot in inBatch {
            guard let generation = slot.generation else { continue }
            if !context.removePositions(of: slot.sequence, from: slot.tokens.count) {
                slot.tokens.removeAll(keepingCapacity: true)
            }
            let error: InferenceError =
                switch status {
                case 2: .cancelled
                case 1:
                    .contextOverflow(
                        promptTokens: slot.tokens.count + max(generation.inFlight, 1), contextSize: context.size)
                default: .engineFailure("llama_decode returned \(status)")
                }
            generation.inFlight = 0
            generation.pending = nil
            generation.fail(error)
            slot.generation = nil
        }
    }
}

// Thread-confined: created on the model thread and, through LlamaEngine, only ever used there.
extension LlamaBatchLoop: @unchecked Sendable {}

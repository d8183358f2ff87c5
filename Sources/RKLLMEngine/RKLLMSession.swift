import CRKLLM
import Dispatch
import EngineSupport
import Glibc
import InferenceTypes
import OrderedJSON
import Synchronization

/// A loaded `.rkllm` model and the generation loop around `rkllm_run`.
///
/// Requests wait in `pending`; whenever the handle is free, the model thread takes up to `n_batch` of them whose
/// run settings agree (`RKLLMRunSettings`) into one `rkllm_run`. The runtime's batches are static: a request
/// that arrives during a run waits for the next one.
///
/// Only ever touched on the engine's model thread, except `enqueue` and `abort(ifRunning:)`.
final class RKLLMSession {
    let configuration: RKLLMModelConfiguration
    let abi: RKLLMABI
    private var handle: RKLLMHandle?
    private let tap = RKLLMOutputTap.shared()
    /// Requests waiting for a run, in arrival order.
    private let pending = Mutex<[RKLLMRunPlan]>([])
    /// The continuations of the last run's members whose reasoning budget ran out.
    private let continuations = Mutex<[RKLLMRunPlan]>([])
    /// The cancellation flags of the requests inside `rkllm_run`, so that an abort reaches that run and never
    /// a later one.
    private let running = Mutex<[CancellationFlag]>([])
    // The handle's pointer, for aborting from other threads; rkllm_abort is thread-safe.
    nonisolated(unsafe) private let abortTarget: RKLLMHandle?

    /// How long a run that could take more requests waits for them to arrive, when `n_batch` > 1: requests sent
    /// together reach the engine a little apart, and a run cannot take any later.
    static let gatheringNanos: UInt64 = 10_000_000
    /// The input of a batch element that no request fills.
    static let padding = RKLLMInputText(text: "Hi", role: "user", thinking: false)
    /// Signalled once per request put in line, so that a run gathering requests wakes when one arrives.
    private let arrival = DispatchSemaphore(value: 0)

    /// The files of the prompt prefixes seen so far, `nil` when prompt caching is off.
    let promptCacheFiles: RKLLMPromptCacheFiles?
    /// The runtime and model file, which a prompt-cache file is valid for.
    let identity: String
    /// The vision encoder of a vision-language model, freed with the model.
    private(set) var vision: (any RKLLMImageEncoding)?

    init(
        handle: RKLLMHandle, configuration: RKLLMModelConfiguration, promptCacheFiles: RKLLMPromptCacheFiles? = nil,
        identity: String = "", vision: (any RKLLMImageEncoding)? = nil
    ) {
        self.vision = vision
        self.handle = handle
        self.configuration = configuration
        self.promptCacheFiles = promptCacheFiles
        self.identity = identity
        abi = handle.runtime.abi
        abortTarget = handle
    }

    /// The handle, `nil` once the model is closed.
    var currentHandle: RKLLMHandle? { handle }

    /// Puts a request in line for a run; call `runPending` on the model thread afterwards.
    func enqueue(_ plan: RKLLMRunPlan) {
        pending.withLock { $0.append(plan) }
        arrival.signal()
    }

    /// Stops the run that `cancellation`'s request is in, if that request is the last of the run still wanted:
    /// the others of a batch go on (the callback ends the cancelled one alone).
    func abort(ifRunning cancellation: CancellationFlag) {
        running.withLock { current in
            // The flag is not up yet while its handler runs.
            if current.contains(where: { $0 === cancellation }),
                current.allSatisfy({ $0 === cancellation || $0.isCancelled })
            {
                abortTarget?.abort()
            }
        }
    }

    /// Destroys the model, within `timeout` seconds.
    func close(timeout: Double) -> Bool {
        defer {
            handle = nil
            vision = nil
        }
        return handle?.destroy(timeout: timeout) ?? true
    }

    /// Runs the next batch of waiting requests, if any are waiting.
    func runPending() {
        guard let handle else {
            let unloaded = InferenceError.engineFailure("the model \(configuration.name) was unloaded")
            let waiting = pending.withLock { queue in
                defer { queue = [] }
                return queue
            }
            for plan in waiting { plan.continuation.finish(throwing: unloaded) }
            return
        }
        let group = nextGroup()
        guard !group.isEmpty else { return }
        if !run(group, on: handle, reportingRefusal: group.count == 1) {
            // The runtime refused the whole batch before any token (one prompt too long for the context, most
            // often): each request runs alone, so that only the one at fault is refused.
            for plan in group where !plan.cancellation.isCancelled {
                _ = run([plan], on: handle, reportingRefusal: true)
            }
        }
        // Generations whose reasoning budget ran out go on first, before the requests that came after them.
        let continued = continuations.withLock { plans in
            defer { plans = [] }
            return plans
        }
        guard !continued.isEmpty else { return }
        pending.withLock { $0.insert(contentsOf: continued, at: 0) }
        runPending()
    }

    /// The first waiting request with the next ones whose run settings agree with it, up to `n_batch`; the
    /// others stay in line, in order. Cancelled requests leave the line.
    private func nextGroup() -> [RKLLMRunPlan] {
        let width = configuration.batchSize
        let deadline = MonotonicClock.now() + Self.gatheringNanos
        var group: [RKLLMRunPlan] = []
        while true {
            pending.withLock { queue in
                var left: [RKLLMRunPlan] = []
                for plan in queue {
                    if plan.cancellation.isCancelled {
                        plan.continuation.finish(throwing: InferenceError.cancelled)
                    } else if group.isEmpty
                        || (group.count < width && plan.settings == group[0].settings && !plan.runsAlone
                            && !group[0].runsAlone)
                    {
                        group.append(plan)
                    } else {
                        left.append(plan)
                    }
                }
                queue = left
            }
            let now = MonotonicClock.now()
            if group.isEmpty || group.count >= width || now >= deadline { return group }
            // Woken by the next arrival (or a stale signal of an earlier one, which only costs a look).
            _ = arrival.wait(timeout: .now() + .nanoseconds(Int(deadline - now)))
        }
    }

    /// Runs `group` in one `rkllm_run`, padded to `n_batch`, reporting on each request's stream. Returns false
    /// when the runtime refused the run before any token and `reportingRefusal` is false (the streams are then
    /// left open); true otherwise.
    private func run(_ group: [RKLLMRunPlan], on handle: RKLLMHandle, reportingRefusal: Bool) -> Bool {
        let first = group[0]
        let loadedCache: (path: String, savedNow: Bool)?
        do {
            loadedCache = try preparePromptCache(for: first, on: handle)
        } catch {
            // Only the request that named the cache is refused; the others run without it.
            RKLLMGeneration(plan: first).fail(error)
            return group.count == 1 || run(Array(group.dropFirst()), on: handle, reportingRefusal: reportingRefusal)
        }
        let members = group.map(RKLLMGeneration.init(plan:))
        defer {
            // A member whose reasoning budget ran out goes on, whatever became of the others.
            let continued = members.compactMap(\.continuationPlan)
            if !continued.isEmpty { continuations.withLock { $0.append(contentsOf: continued) } }
        }
        for member in members { member.cachedTokens = cachedTokens(of: member.plan, loaded: loadedCache?.path) }
        if loadedCache?.savedNow == true { members[0].savedTokens = members[0].cachedTokens }
        handle.applyTools(first.settings.tools.map { (system: $0[0], tools: $0[1]) })
        if let template = first.settings.template {
            handle.applyTemplate(system: template[0], prefix: template[1], postfix: template[2])
        }
        // The batch elements that no request fills get a one-word prompt: the runtime's batches are static, so
        // they cost their place in each step anyway, but a short prompt keeps their prefill to a token or two
        // (the first request's whole prompt would multiply a lone request's time to first token). Their
        // answers are ignored and end with the run.
        let width = configuration.batchSize
        let inputs = group.map(\.input) + Array(repeating: Self.padding, count: max(0, width - group.count))
        // The encoding of images counts in the prompt's evaluation: the run starts before it.
        let start = MonotonicClock.now()
        let multimodal: RKLLMMultimodalInput?
        do {
            multimodal = try encodeImages(of: first)
        } catch {
            members[0].fail(error)
            return true
        }
        let batch = RKLLMBatch(members: members, width: width, start: start)
        running.withLock { $0 = group.map(\.cancellation) }
        let status = withExtendedLifetime(batch) {
            handle.run(
                inputs: inputs, maxNewTokens: group.map(\.maxTokens).max() ?? first.maxTokens,
                sampling: first.sampling, userdata: Unmanaged.passUnretained(batch).toOpaque(),
                multimodal: multimodal)
        }
        if let multimodal, let encoded = multimodal.encodingMillis {
            members[0].perf?.prefill_time_ms += encoded
        }
        running.withLock { $0 = [] }
        if batch.paused || group.contains(where: { $0.cancellation.isCancelled }) { handle.clearHistory() }
        guard status == 0, !batch.failed else {
            let reason = tap.lastError(since: start) ?? "rkllm_run returned \(status)"
            // Nothing generated: the input itself was refused (too long for the context, most often).
            let refused = members.allSatisfy { $0.generated == 0 }
            if refused && !reportingRefusal { return false }
            for member in members {
                member.fail(
                    member.generated == 0
                        ? .invalidRequest("the RKLLM runtime refused the prompt: \(reason)") : .engineFailure(reason))
            }
            return true
        }
        for member in members { member.answerAtFinish(queueNanos: batch.queueNanos(of: member)) }
        return true
    }

    /// What a request asks for that the RKLLM runtime cannot do: constrained decoding and log-probabilities.
    static func unsupportedFeature(of request: EngineRequest) -> InferenceError? {
        if request.grammar != nil {
            return .invalidRequest(
                "structured output needs a GGUF model on the llama.cpp engine; the RKLLM runtime cannot constrain decoding"
            )
        }
        if request.logprobs != nil {
            return .invalidRequest(
                "logprobs need a GGUF model on the llama.cpp engine; the RKLLM runtime does not report token probabilities"
            )
        }
        return nil
    }

    /// The request's tools as the JSON array `rkllm_set_function_tools` takes; `nil` without tools (the core
    /// offers none for `tool_choice` none).
    static func toolsJSON(_ request: EngineRequest) -> String? {
        guard !request.tools.isEmpty else { return nil }
        return JSONValue.array(request.tools).serialized()
    }

    /// A conversation for a model whose format is not known: the runtime's built-in template wraps it as
    /// one user turn, so the earlier turns go in as labelled plain text.
    static func plainText(_ messages: [ChatMessage]) -> String {
        guard messages.count > 1 else {
            return messages.first.map { RKLLMChatFormat.imageMarkers($0) + $0.content } ?? ""
        }
        return messages.map { message in
            let content = RKLLMChatFormat.imageMarkers(message) + message.content
            return switch message.role {
            case .system: "System: \(content)"
            case .user: "User: \(content)"
            case .assistant: "Assistant: \(content)"
            case .tool: "Tool result: \(content)"
            }
        }.joined(separator: "\n\n")
    }
}

// Thread-confined: created on the model thread and used only there, except `abort(ifRunning:)`, which
// goes through the lock-guarded `running` flag and the runtime's thread-safe rkllm_abort.
extension RKLLMSession: @unchecked Sendable {}

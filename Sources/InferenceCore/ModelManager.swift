public import Conversation
import EngineSupport
public import FoundationEssentials
public import InferenceTypes
public import Logging
import ModelStore
import SchemaGrammar

/// Keeps loaded models: loads them on first use, keeps each alive for its keep-alive after its last use,
/// and never unloads a model while a request holds a lease on it.
public actor ModelManager {
    /// A model that is in memory.
    public struct LoadedModel: Sendable {
        /// The file it came from.
        public var descriptor: ModelDescriptor
        /// The engine that runs it; only the core reaches it.
        var engine: any Engine
        /// Its parsed chat template and what it can do in a conversation.
        public var conversation: ConversationProfile
        /// How long loading took, in nanoseconds.
        public var loadNanos: UInt64
        /// When it will be unloaded if nothing uses it; `nil` while in use or kept forever.
        public var expiresAt: Date?
        /// How long it stays after its last use.
        public var keepAlive: KeepAlive
        /// Requests using it now.
        public var activeRequests: Int
        /// Whether it was asked to unload while in use: it unloads when its last request ends.
        public var unloadsWhenIdle = false
        /// The memory it takes: weights and KV cache.
        public var footprintBytes: UInt64 {
            let info = engine.info
            let weights = info.weightsBytes > 0 ? info.weightsBytes : UInt64(max(0, descriptor.sizeBytes))
            return weights + info.kvCacheBytes
        }

        /// What the dialects may see of it.
        public var status: LoadedModelStatus {
            LoadedModelStatus(
                descriptor: descriptor, info: engine.info, keepAlive: keepAlive,
                expiresAt: unloadsWhenIdle ? Date() : expiresAt, activeRequests: activeRequests, loadNanos: loadNanos,
                runnerProcessID: engine.processID, footprintBytes: footprintBytes, unloadsWhenIdle: unloadsWhenIdle)
        }
    }

    /// How much may be loaded at once.
    public struct Limits: Sendable {
        /// Models loaded at once.
        public var maxLoadedModels: Int
        /// Bytes the loaded models may take together (weights and KV cache).
        public var memoryBudgetBytes: UInt64

        /// Creates limits.
        public init(maxLoadedModels: Int = 3, memoryBudgetBytes: UInt64 = .max) {
            self.maxLoadedModels = max(1, maxLoadedModels)
            self.memoryBudgetBytes = memoryBudgetBytes
        }
    }

    private struct Entry {
        var model: LoadedModel
        var scheduler: Scheduler
        var lastUsed = ContinuousClock.now
        /// The context the load that made it asked for (0: none), which a smaller result does not reload for.
        var loadedFor = 0
    }

    /// What the manager's one housekeeping task acts on: leases released by code that could not wait, and
    /// the keep-alive timer firing.
    private enum Housekeeping: Sendable {
        case released(ModelDescriptor)
        case expire
    }

    let loaders: [ModelFormat: any EngineLoader]
    let logger: Logger
    let defaultKeepAlive: KeepAlive
    private let maxQueueDepth: Int
    private let limits: Limits
    private var entries: [String: Entry] = [:]
    private var loading: [String: Task<LoadedModel, any Error>] = [:]
    /// The contexts loaded models are to be reloaded with once their requests end, by path.
    private var reloads: [String: Int] = [:]
    private let housekeeping = AsyncStream.makeStream(of: Housekeeping.self)
    private var housekeeper: Task<Void, Never>?
    private let keepAliveTimer: KeepAliveTimer
    private let idleSignal = IdleSignal()

    /// Creates a manager that loads each format with its loader.
    /// - Parameter maxQueueDepth: requests that may wait for a model while it answers another; one more is
    ///   refused with `InferenceError.busy`.
    /// - Parameter limits: how many models, and how much memory, may be loaded at once.
    public init(
        loaders: [any EngineLoader], defaultKeepAlive: KeepAlive = .defaultValue, maxQueueDepth: Int = 16,
        limits: Limits = Limits(), logger: Logger
    ) {
        self.limits = limits
        self.loaders = Dictionary(loaders.map { ($0.format, $0) }, uniquingKeysWith: { first, _ in first })
        self.defaultKeepAlive = defaultKeepAlive
        self.maxQueueDepth = max(0, maxQueueDepth)
        self.logger = logger
        let housekeeping = housekeeping.continuation
        keepAliveTimer = KeepAliveTimer { housekeeping.yield(.expire) }
    }

    deinit {
        housekeeping.continuation.finish()
    }

    /// Loads a model when needed and leases it: it stays loaded until the lease is released. The lease carries
    /// the model's `Scheduler`, which admits its generations (and refuses them when too many wait).
    /// - Parameter keepAlive: how long the model stays after this use; `nil` keeps its current setting.
    /// - Parameter contextLength: the context the request asks for (`num_ctx`). A loaded model with a smaller
    ///   one is reloaded with it (within its trained length and the memory budget) once the requests it is
    ///   answering end; requests that come meanwhile wait for the reload. A smaller or equal one changes
    ///   nothing.
    func acquire(
        _ descriptor: ModelDescriptor, keepAlive: KeepAlive? = nil, contextLength: Int? = nil
    ) async throws -> ModelLease {
        startHousekeeping()
        let (model, loadNanos) = try await load(descriptor, contextLength: contextLength)
        guard var entry = entries[descriptor.path] else {
            throw InferenceError.engineFailure("model \(descriptor.id) was unloaded while it loaded")
        }
        entry.model.expiresAt = nil
        entry.model.activeRequests += 1
        if let keepAlive { entry.model.keepAlive = keepAlive }
        entries[descriptor.path] = entry
        return ModelLease(
            manager: self, descriptor: descriptor, engine: model.engine, conversation: model.conversation,
            scheduler: entry.scheduler, loadNanos: loadNanos)
    }

    /// Starts the one task that acts on releases that could not wait and on the keep-alive timer.
    private func startHousekeeping() {
        guard housekeeper == nil else { return }
        let messages = housekeeping.stream
        housekeeper = Task { [weak self] in
            for await message in messages {
                guard let self else { return }
                switch message {
                case .released(let descriptor): await self.release(descriptor)
                case .expire: await self.expire()
                }
            }
        }
    }

    /// Hands a released lease to the housekeeping task (for code that cannot wait).
    nonisolated func releaseLater(_ descriptor: ModelDescriptor) {
        housekeeping.continuation.yield(.released(descriptor))
    }

    /// A model from memory, or loaded now; one whose context is smaller than `asked` is reloaded first.
    private func load(_ descriptor: ModelDescriptor, contextLength asked: Int?) async throws -> (LoadedModel, UInt64) {
        let path = descriptor.path
        while true {
            if let entry = entries[path] {
                guard entry.model.engine.isAlive else {
                    // Its runner died: the requests it was answering have failed; this one gets a new runner.
                    logger.warning("model process ended, loading it again", metadata: ["model.id": "\(descriptor.id)"])
                    await unloadNow(path)
                    continue
                }
                if let target = growth(of: entry, asked: asked) { reloads[path] = max(reloads[path] ?? 0, target) }
                guard let target = reloads[path] else { return (entry.model, 0) }
                if entry.model.activeRequests == 0 {
                    logger.info(
                        "reloading model with a larger context",
                        metadata: [
                            "model.id": "\(descriptor.id)", "model.context": "\(entry.model.engine.info.contextLength)",
                            "model.context_asked": "\(target)",
                        ])
                    await unloadNow(path)
                    continue
                }
                do {
                    // Woken when a model becomes idle or is unloaded; cancelled when the client goes away.
                    try await idleSignal.wait(after: idleSignal.epoch)
                } catch {
                    if reloads[path] == target, asked.map({ $0 >= target }) ?? false { reloads[path] = nil }
                    throw error
                }
                continue
            }
            if let task = loading[path] {
                let (model, nanos) = try await joinLoad(task)
                if reloads[path] == nil, let entry = entries[path], growth(of: entry, asked: asked) == nil {
                    return (model, nanos)
                }
                continue
            }
            guard let loader = loaders[descriptor.format] else {
                throw InferenceError.runtimeUnavailable(
                    "no engine for .\(descriptor.format.rawValue) models in this build")
            }
            try await makeRoom(for: descriptor)
            if loading[path] != nil || entries[path] != nil { continue }
            // A reload takes the context it was marked for (already within the model's limits); a first load,
            // what the request asks (the loader keeps it within them).
            let context = reloads.removeValue(forKey: path) ?? asked ?? 0
            let task = startLoad(descriptor, with: loader, contextLength: context > 0 ? context : nil)
            loading[path] = task
            defer { loading[path] = nil }
            let loaded: (LoadedModel, UInt64)
            do {
                loaded = try await joinLoad(task)
            } catch {
                let failure = Self.describedLoadFailure(error, loaded: entries.values.map(\.model.descriptor.id))
                logger.error(
                    "model load failed", metadata: ["model.id": "\(descriptor.id)", "error": "\(failure)"])
                throw failure
            }
            entries[path]?.loadedFor = context
            return loaded
        }
    }

    /// The context `entry`'s model is to be reloaded with for a request that asks for `asked`; `nil` for none.
    private func growth(of entry: Entry, asked: Int?) -> Int? {
        ContextGrowth.target(
            asked: asked, info: entry.model.engine.info, loadedFor: entry.loadedFor,
            budget: limits.memoryBudgetBytes)
    }

    /// Waits for a load. Whoever resumes first (the request that started it or one that joined) records the
    /// model, so that no request finds it missing in between.
    private func joinLoad(_ task: Task<LoadedModel, any Error>) async throws -> (LoadedModel, UInt64) {
        let model = try await task.value
        if entries[model.descriptor.path] == nil {
            let scheduler = Scheduler(
                slots: model.engine.slots, maxQueueDepth: maxQueueDepth, modelID: model.descriptor.id, logger: logger)
            entries[model.descriptor.path] = Entry(model: model, scheduler: scheduler)
        }
        return (model, model.loadNanos)
    }

    /// Unloads idle models, least recently used first, until `descriptor` fits the limits; waits while the
    /// models in the way are busy (until one becomes idle or is unloaded, or the calling task is cancelled). A
    /// model alone is always loaded, whatever its size.
    private func makeRoom(for descriptor: ModelDescriptor) async throws {
        // Weights plus a margin for the KV cache and compute buffers, until the engine reports them.
        let estimate = UInt64(max(0, descriptor.sizeBytes)) / 4 * 5
        var waitingSince: ContinuousClock.Instant?
        while true {
            let epoch = idleSignal.epoch
            let count = entries.count + loading.count
            let used = entries.values.reduce(UInt64(0)) { $0 + $1.model.footprintBytes }
            let fits = count < limits.maxLoadedModels && used + estimate <= limits.memoryBudgetBytes
            if fits || count == 0 { return }
            let idle = entries.filter { $0.value.model.activeRequests == 0 }
            if let victim = idle.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                logger.info(
                    "unloading the least recently used model to make room",
                    metadata: [
                        "model.id": "\(victim.value.model.descriptor.id)", "model.loading": "\(descriptor.id)",
                        "memory.used_mb": "\(used >> 20)", "memory.budget_mb": "\(limits.memoryBudgetBytes >> 20)",
                    ])
                await unloadNow(victim.key)
                continue
            }
            if waitingSince == nil {
                waitingSince = .now
                logger.info("waiting for a loaded model to finish", metadata: ["model.id": "\(descriptor.id)"])
            }
            // Woken when a model becomes idle or is unloaded; cancelled when the client goes away.
            try await idleSignal.wait(after: epoch)
        }
    }

    /// Ends a lease; when the last one ends, the keep-alive starts counting.
    func release(_ descriptor: ModelDescriptor) async {
        guard var entry = entries[descriptor.path] else { return }
        entry.model.activeRequests = max(0, entry.model.activeRequests - 1)
        entry.lastUsed = .now
        entries[descriptor.path] = entry
        guard entry.model.activeRequests == 0 else { return }
        defer { idleSignal.wake() }
        if entry.model.unloadsWhenIdle || !entry.model.engine.isAlive {
            await unloadNow(descriptor.path)
            return
        }
        switch entry.model.keepAlive {
        case .forever:
            return
        case .seconds(let seconds) where seconds <= 0:
            await unloadNow(descriptor.path)
        case .seconds(let seconds):
            entry.model.expiresAt = Date().addingTimeInterval(seconds)
            entries[descriptor.path] = entry
            setKeepAliveTimer()
        }
    }

    /// Unloads the idle models whose keep-alive has run out, and sets the timer for the next one.
    private func expire() async {
        let due = Date().addingTimeInterval(0.05)
        for (path, entry) in entries {
            guard entry.model.activeRequests == 0, let expiresAt = entry.model.expiresAt, expiresAt <= due else {
                continue
            }
            logger.info("keep-alive expired", metadata: ["model.id": "\(entry.model.descriptor.id)"])
            await unloadNow(path)
        }
        setKeepAliveTimer()
    }

    /// Sets the manager's one timer for the earliest expiry of an idle model.
    private func setKeepAliveTimer() {
        let next = entries.values.compactMap { $0.model.activeRequests == 0 ? $0.model.expiresAt : nil }.min()
        keepAliveTimer.set(after: next.map { max(0, $0.timeIntervalSinceNow) })
    }

    /// Unloads a model; one that is answering requests is unloaded when they end, and this returns at once
    /// (its status says `unloadsWhenIdle`). Returns whether it was loaded.
    @discardableResult
    public func unload(_ descriptor: ModelDescriptor) async -> Bool {
        guard var entry = entries[descriptor.path] else { return false }
        if entry.model.activeRequests > 0 {
            entry.model.unloadsWhenIdle = true
            entries[descriptor.path] = entry
        } else {
            await unloadNow(descriptor.path)
        }
        return true
    }

    private func unloadNow(_ path: String) async {
        guard let entry = entries.removeValue(forKey: path) else { return }
        defer { idleSignal.wake() }
        await entry.model.engine.unload()
        logger.info("model unloaded", metadata: ["model.id": "\(entry.model.descriptor.id)"])
    }

    /// The model loaded from `descriptor`'s file, `nil` when it is not in memory.
    func loadedModel(_ descriptor: ModelDescriptor) -> LoadedModel? {
        entries[descriptor.path]?.model
    }

    /// The models in memory.
    public func loadedModels() -> [LoadedModel] {
        entries.values.map(\.model).sorted { $0.descriptor.id < $1.descriptor.id }
    }

    /// Frees every loaded model.
    public func unloadAll() async {
        for path in entries.keys { await unloadNow(path) }
    }
}

public import FoundationEssentials
public import Logging

/// Keeps loaded models: loads them on first use, keeps each alive for its keep-alive after its last use,
/// and never unloads a model while a request holds a lease on it.
public actor ModelManager {
    /// A model that is in memory.
    public struct LoadedModel: Sendable {
        /// The file it came from.
        public var descriptor: ModelDescriptor
        /// The engine that runs it.
        public var engine: any Engine
        /// How long loading took, in nanoseconds.
        public var loadNanos: UInt64
        /// When it will be unloaded if nothing uses it; `nil` while in use or kept forever.
        public var expiresAt: Date?
        /// How long it stays after its last use.
        public var keepAlive: KeepAlive
        /// Requests using it now.
        public var activeRequests: Int
    }

    private struct Entry {
        var model: LoadedModel
        var unloadWhenIdle = false
        var expiry: Task<Void, Never>?
    }

    private let loaders: [ModelFormat: any EngineLoader]
    private let logger: Logger
    private let defaultKeepAlive: KeepAlive
    private let maxQueueDepth: Int
    private var entries: [String: Entry] = [:]
    private var loading: [String: Task<LoadedModel, any Error>] = [:]

    /// Creates a manager that loads each format with its loader.
    /// - Parameter maxQueueDepth: requests that may wait for a model while it answers another; one more is
    ///   refused with `InferenceError.busy`.
    public init(
        loaders: [any EngineLoader], defaultKeepAlive: KeepAlive = .defaultValue, maxQueueDepth: Int = 16,
        logger: Logger
    ) {
        self.loaders = Dictionary(loaders.map { ($0.format, $0) }, uniquingKeysWith: { first, _ in first })
        self.defaultKeepAlive = defaultKeepAlive
        self.maxQueueDepth = max(0, maxQueueDepth)
        self.logger = logger
    }

    /// Loads a model when needed and leases it: it stays loaded until the lease is released.
    /// - Parameter keepAlive: how long the model stays after this use; `nil` keeps its current setting.
    public func acquire(_ descriptor: ModelDescriptor, keepAlive: KeepAlive? = nil) async throws -> ModelLease {
        let (engine, loadNanos) = try await load(descriptor)
        guard var entry = entries[descriptor.path] else {
            throw InferenceError.engineFailure("model \(descriptor.id) was unloaded while it loaded")
        }
        // One request runs, `maxQueueDepth` wait; more are turned away at once rather than left hanging.
        if entry.model.activeRequests > maxQueueDepth {
            logger.warning(
                "queue full",
                metadata: ["model.id": "\(descriptor.id)", "queue.depth": "\(entry.model.activeRequests - 1)"])
            throw InferenceError.busy(retryAfterSeconds: 1)
        }
        entry.expiry?.cancel()
        entry.expiry = nil
        entry.model.expiresAt = nil
        entry.model.activeRequests += 1
        if let keepAlive { entry.model.keepAlive = keepAlive }
        entries[descriptor.path] = entry
        return ModelLease(manager: self, descriptor: descriptor, engine: engine, loadNanos: loadNanos)
    }

    private func load(_ descriptor: ModelDescriptor) async throws -> (any Engine, UInt64) {
        if let entry = entries[descriptor.path] { return (entry.model.engine, 0) }
        if let task = loading[descriptor.path] {
            let model = try await task.value
            return (model.engine, model.loadNanos)
        }
        guard let loader = loaders[descriptor.format] else {
            throw InferenceError.runtimeUnavailable("no engine for .\(descriptor.format.rawValue) models in this build")
        }
        let logger = self.logger
        let keepAlive = defaultKeepAlive
        let task = Task {
            let start = MonotonicClock.now()
            logger.info(
                "loading model", metadata: ["model.id": "\(descriptor.id)", "model.path": "\(descriptor.path)"])
            let engine = try await loader.load(descriptor)
            let nanos = MonotonicClock.since(start)
            logger.info(
                "model loaded", metadata: ["model.id": "\(descriptor.id)", "model.load_ms": "\(nanos / 1_000_000)"])
            return LoadedModel(
                descriptor: descriptor, engine: engine, loadNanos: nanos, expiresAt: nil, keepAlive: keepAlive,
                activeRequests: 0)
        }
        loading[descriptor.path] = task
        defer { loading[descriptor.path] = nil }
        let model = try await task.value
        entries[descriptor.path] = Entry(model: model)
        return (model.engine, model.loadNanos)
    }

    /// Ends a lease; when the last one ends, the keep-alive starts counting.
    func release(_ descriptor: ModelDescriptor) async {
        guard var entry = entries[descriptor.path] else { return }
        entry.model.activeRequests = max(0, entry.model.activeRequests - 1)
        entries[descriptor.path] = entry
        guard entry.model.activeRequests == 0 else { return }
        if entry.unloadWhenIdle {
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
            entry.expiry = Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000)))
                guard !Task.isCancelled else { return }
                await self?.expire(descriptor.path)
            }
            entries[descriptor.path] = entry
        }
    }

    private func expire(_ path: String) async {
        guard let entry = entries[path], entry.model.activeRequests == 0, let expiresAt = entry.model.expiresAt,
            expiresAt <= Date().addingTimeInterval(0.05)
        else { return }
        logger.info("keep-alive expired", metadata: ["model.id": "\(entry.model.descriptor.id)"])
        await unloadNow(path)
    }

    /// Unloads a model; one that is answering requests is unloaded when they end.
    /// Returns whether it was loaded.
    @discardableResult
    public func unload(_ descriptor: ModelDescriptor) async -> Bool {
        guard var entry = entries[descriptor.path] else { return false }
        if entry.model.activeRequests > 0 {
            entry.unloadWhenIdle = true
            entries[descriptor.path] = entry
        } else {
            await unloadNow(descriptor.path)
        }
        return true
    }

    private func unloadNow(_ path: String) async {
        guard let entry = entries.removeValue(forKey: path) else { return }
        entry.expiry?.cancel()
        await entry.model.engine.unload()
        logger.info("model unloaded", metadata: ["model.id": "\(entry.model.descriptor.id)"])
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

import EngineSupport
public import FoundationEssentials
public import InferenceTypes
import ModelStore

/// What the dialects may know of a loaded model: enough to list it, never its engine.
public struct LoadedModelStatus: Sendable {
    /// The file it came from.
    public var descriptor: ModelDescriptor
    /// What its engine reported when it loaded.
    public var info: ModelInfo
    /// How long it stays after its last use.
    public var keepAlive: KeepAlive
    /// When it will be unloaded if nothing uses it; `nil` while in use or kept forever.
    public var expiresAt: Date?
    /// Requests using it now.
    public var activeRequests: Int
    /// How long loading took, in nanoseconds.
    public var loadNanos: UInt64
    /// The runner process hosting it; `nil` when it runs inside the server.
    public var runnerProcessID: Int32?
    /// The memory it takes: weights and KV cache.
    public var footprintBytes: UInt64
    /// Whether it was asked to unload while in use: it unloads when its last request ends (and `expiresAt`
    /// is the time it was asked).
    public var unloadsWhenIdle: Bool

    /// Creates a status.
    public init(
        descriptor: ModelDescriptor, info: ModelInfo, keepAlive: KeepAlive, expiresAt: Date? = nil,
        activeRequests: Int = 0, loadNanos: UInt64 = 0, runnerProcessID: Int32? = nil, footprintBytes: UInt64 = 0,
        unloadsWhenIdle: Bool = false
    ) {
        self.descriptor = descriptor
        self.info = info
        self.keepAlive = keepAlive
        self.expiresAt = expiresAt
        self.activeRequests = activeRequests
        self.loadNanos = loadNanos
        self.runnerProcessID = runnerProcessID
        self.footprintBytes = footprintBytes
        self.unloadsWhenIdle = unloadsWhenIdle
    }
}

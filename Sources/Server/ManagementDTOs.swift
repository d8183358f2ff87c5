import FoundationEssentials
import InferenceCore
import InferenceTypes

/// `{"object":"list","data":[...]}`, as `/v1/models` answers.
struct ManagedModelList<Entry: Encodable & Sendable>: Encodable, Sendable {
    var object = "list"
    var data: [Entry]
}

/// One model file of `GET /v1/models/available`.
struct AvailableModel: Encodable, Sendable {
    var id: String
    var file: String
    var format: String
    var sizeBytes: Int64
    var contextLength: Int
    var family: String
    var parameterSize: String
    var quantization: String
    var loaded: Bool

    enum CodingKeys: String, CodingKey {
        case id, file, format, family, quantization, loaded
        case sizeBytes = "size_bytes", contextLength = "context_length", parameterSize = "parameter_size"
    }

    init(_ model: ModelDescriptor, details: ModelDetails, loaded: Set<String>) {
        id = model.id
        file = model.fileName
        format = model.format.rawValue
        sizeBytes = model.sizeBytes
        contextLength = details.contextLength
        family = details.family
        parameterSize = details.parameterSize
        quantization = details.quantization
        self.loaded = loaded.contains(model.path)
    }
}

/// One model of `GET /v1/models/loaded`.
struct LoadedModelView: Encodable, Sendable {
    var id: String
    var format: String
    var contextLength: Int
    var keepAlive: String
    /// Unix time in seconds; `null` while in use or kept forever.
    var expiresAt: Int?
    var activeRequests: Int
    var loadMs: Double
    /// The runner process hosting the model; `null` when it runs inside the server.
    var runnerPid: Int32?
    /// Memory the model takes (weights and KV cache), in bytes.
    var sizeBytes: UInt64
    /// Whether it unloads when the requests it is answering end (an unload asked while it was in use).
    var unloading: Bool

    enum CodingKeys: String, CodingKey {
        case id, format
        case contextLength = "context_length", keepAlive = "keep_alive", expiresAt = "expires_at"
        case activeRequests = "active_requests", loadMs = "load_ms", runnerPid = "runner_pid"
        case sizeBytes = "size_bytes", unloading
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(format, forKey: .format)
        try container.encode(contextLength, forKey: .contextLength)
        try container.encode(keepAlive, forKey: .keepAlive)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(activeRequests, forKey: .activeRequests)
        try container.encode(loadMs, forKey: .loadMs)
        try container.encode(runnerPid, forKey: .runnerPid)
        try container.encode(sizeBytes, forKey: .sizeBytes)
        try container.encode(unloading, forKey: .unloading)
    }

    init(_ loaded: LoadedModelStatus) {
        id = loaded.descriptor.id
        format = loaded.descriptor.format.rawValue
        contextLength = loaded.info.contextLength
        keepAlive = loaded.keepAlive.description
        expiresAt = loaded.expiresAt.map { Int($0.timeIntervalSince1970) }
        activeRequests = loaded.activeRequests
        loadMs = Double(loaded.loadNanos) / 1e6
        runnerPid = loaded.runnerProcessID
        sizeBytes = loaded.footprintBytes
        unloading = loaded.unloadsWhenIdle
    }
}

/// The body of `POST /v1/models/load`.
struct LoadRequest: Decodable, Sendable {
    var model: String
    var keepAlive: String?

    enum CodingKeys: String, CodingKey {
        case model
        case keepAlive = "keep_alive"
    }
}

struct LoadResult: Encodable, Sendable {
    var id: String
    var loaded: Bool
    var alreadyLoaded: Bool
    var loadMs: Double

    enum CodingKeys: String, CodingKey {
        case id, loaded
        case alreadyLoaded = "already_loaded", loadMs = "load_ms"
    }
}

/// The body of `POST /v1/models/unload`; no model unloads every loaded one.
struct UnloadRequest: Decodable, Sendable {
    var model: String?
}

struct UnloadResult: Encodable, Sendable {
    var unloaded: [String]
}

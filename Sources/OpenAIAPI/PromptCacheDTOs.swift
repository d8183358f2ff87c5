import InferenceCore

/// The body of `POST /v1/cache/{model}`: the name of the cache and the system prompt it holds.
struct PromptCacheRequest: Decodable, Sendable {
    var cacheName: String
    var prompt: String

    enum CodingKeys: String, CodingKey {
        case cacheName = "cache_name"
        case prompt
    }
}

/// One named prompt cache on the wire: what `POST /v1/cache/{model}` answers and `GET` lists.
struct PromptCacheObject: Encodable, Sendable {
    var object = "prompt_cache"
    var cacheName: String
    var model: String
    var tokens: Int
    var bytes: UInt64
    var created: Int

    enum CodingKeys: String, CodingKey {
        case object, model, tokens, bytes, created
        case cacheName = "cache_name"
    }

    init(_ entry: PromptCacheEntry) {
        cacheName = entry.name
        model = entry.model
        tokens = entry.tokens
        bytes = entry.bytes
        created = entry.created
    }
}

/// The body of `GET /v1/cache/{model}`.
struct PromptCacheList: Encodable, Sendable {
    var object = "list"
    var data: [PromptCacheObject]
}

/// The body of `DELETE /v1/cache/{model}/{name}`.
struct PromptCacheDeleted: Encodable, Sendable {
    var object = "prompt_cache"
    var cacheName: String
    var model: String
    var deleted = true

    enum CodingKeys: String, CodingKey {
        case object, model, deleted
        case cacheName = "cache_name"
    }
}

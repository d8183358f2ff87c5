/// The API whose error shape a path answers in, chosen by the path's prefix.
enum ErrorDialect: Sendable {
    /// `{"error":{"message","type","param","code"}}`: `/v1` and the llama.cpp-style routes.
    case openAI
    /// `{"error":"..."}`: `/api`.
    case ollama
    /// `{"type":"error","error":{"type","message"}}`: `/v1/messages`.
    case anthropic

    /// Path prefixes with their dialect, the first match winning; any other path answers in OpenAI's shape.
    /// A prefix matches the path itself and everything below it (`/api` matches `/api/tags`, not `/apix`).
    static let pathPrefixes: [(prefix: String, dialect: ErrorDialect)] = [
        ("/v1/messages", .anthropic),
        ("/api", .ollama),
    ]

    /// The dialect of `path`.
    init(path: String) {
        self =
            Self.pathPrefixes.first { entry in
                path.hasPrefix(entry.prefix) && [nil, "/"].contains(path.dropFirst(entry.prefix.count).first)
            }?.dialect ?? .openAI
    }
}

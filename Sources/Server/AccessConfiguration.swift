public import Configuration
import FoundationEssentials
import InferenceCore
public import InferenceTypes

/// Who may use the server: the API keys it asks for, and the browser origins and `Host` names it answers.
public struct AccessConfiguration: Sendable {
    /// The keys a request may present; empty lets every request in without one.
    public var apiKeys: [String]
    /// Browser origins allowed besides the local ones (`https://app.example`, `https://*.example`, `*`).
    public var allowedOrigins: [String]
    /// `Host` names answered besides the local ones (`llm.example`, `*.example`, `*` to answer any).
    public var allowedHosts: [String]

    /// Creates a configuration.
    public init(apiKeys: [String] = [], allowedOrigins: [String] = [], allowedHosts: [String] = []) {
        self.apiKeys = apiKeys
        self.allowedOrigins = allowedOrigins
        self.allowedHosts = allowedHosts
    }

    /// Reads the keys `apiKeys` (a list; `ROCKCHIP_LLAMA_API_KEYS` separates them with commas), `apiKeyFile`
    /// (one key a line; blank lines and `#` comments are skipped), `allowedOrigins` and `allowedHosts`.
    /// An unreadable or empty key file, a key with spaces or control characters, or an origin pattern with
    /// more than one `*` is refused.
    public init(reader: ConfigReader) throws(InferenceError) {
        var keys = Self.list("apiKeys", in: reader, isSecret: true)
        if let path = reader.string(forKey: "apiKeyFile"), !path.isEmpty {
            keys += try Self.keys(inFile: path)
        }
        keys = keys.filter { !$0.isEmpty }
        if keys.contains(where: { $0.unicodeScalars.contains { $0.value <= 0x20 || $0.value == 0x7F } }) {
            throw .invalidRequest("an API key may not contain spaces or control characters")
        }
        let origins = Self.list("allowedOrigins", in: reader).filter { !$0.isEmpty }
        if let pattern = origins.first(where: { $0.count(where: { $0 == "*" }) > 1 }) {
            throw .invalidRequest("the allowed origin '\(pattern)' has more than one '*'")
        }
        let hosts = Self.list("allowedHosts", in: reader).filter { !$0.isEmpty }
        self.init(apiKeys: keys, allowedOrigins: origins, allowedHosts: hosts)
    }

    /// The values of a list setting, trimmed; a single string (a config file's `"apiKeys": "k1,k2"`) is split at
    /// its commas rather than ignored, which would leave the server open.
    private static func list(_ key: String, in reader: ConfigReader, isSecret: Bool = false) -> [String] {
        let values =
            reader.stringArray(forKey: ConfigKey(key), isSecret: isSecret)
            ?? reader.string(forKey: ConfigKey(key), isSecret: isSecret)?.split(separator: ",").map(String.init) ?? []
        return values.map(trimmed)
    }

    /// The keys of a key file: one a line, blank lines and lines starting with `#` skipped.
    static func keys(inFile path: String) throws(InferenceError) -> [String] {
        guard FileManager.default.isReadableFile(atPath: path),
            let text = try? String(contentsOfFile: path, encoding: .utf8)
        else {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable as UTF-8 text" : "no such file"
            throw .invalidRequest("cannot read the API key file \(path): \(reason)")
        }
        let keys = text.split(whereSeparator: \.isNewline).map { trimmed(String($0)) }.filter {
            !$0.isEmpty && !$0.hasPrefix("#")
        }
        guard !keys.isEmpty else { throw .invalidRequest("the API key file \(path) holds no key") }
        return keys
    }

    private static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}

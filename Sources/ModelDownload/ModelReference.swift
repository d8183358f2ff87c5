import FoundationEssentials

/// What `pull` was asked for: where to download a model file from, the name it gets in the models directory,
/// and the digest it must have when one is known in advance.
///
/// Accepted forms:
/// - an `http://` or `https://` URL of a `.gguf` or `.rkllm` file, optionally ending in `#sha256=<64 hex digits>`;
/// - `hf.co/<owner>/<repo>/<file>` and `huggingface.co/<owner>/<repo>/<file>`;
/// - `<owner>/<repo>:<file>`.
///
/// Hugging Face references download `<endpoint>/<owner>/<repo>/resolve/main/<file>`, where the endpoint is
/// `https://huggingface.co` unless `ROCKCHIP_LLAMA_HF_ENDPOINT` or `HF_ENDPOINT` names another.
public struct ModelReference: Sendable, Equatable {
    /// Where a reference points.
    public enum Source: Sendable, Equatable {
        /// A plain URL; its digest is known only from the reference's `#sha256=` fragment.
        case url
        /// A file of a Hugging Face repository (`owner/repo`), whose server announces the file's digest.
        case huggingFace(repository: String, file: String)
    }

    /// Where the reference points.
    public var source: Source
    /// The URL to download, without a fragment.
    public var url: String
    /// The name of the file in the models directory: the URL's last path component, percent-decoded.
    public var fileName: String
    /// The SHA-256 digest the reference names (64 lower-case hex digits), if any.
    public var expectedSHA256: String?

    /// Parses a reference, reading the Hugging Face endpoint from the process environment.
    public init(parsing reference: String) throws(ModelDownloadError) {
        try self.init(parsing: reference, environment: ProcessInfo.processInfo.environment)
    }

    /// Parses a reference, reading the Hugging Face endpoint from `environment`.
    public init(parsing reference: String, environment: [String: String]) throws(ModelDownloadError) {
        let text = String(reference.drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
        let lowered = text.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            try self.init(url: text, original: reference)
        } else if let rest = Self.dropHuggingFaceHost(text) {
            let parts = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard parts.count >= 3 else { throw .unsupportedReference(reference) }
            try self.init(
                owner: parts[0], repository: parts[1], file: parts[2...].joined(separator: "/"),
                environment: environment, original: reference)
        } else if let colon = text.firstIndex(of: ":") {
            let repository = text[..<colon].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            guard repository.count == 2 else { throw .unsupportedReference(reference) }
            try self.init(
                owner: repository[0], repository: repository[1], file: String(text[text.index(after: colon)...]),
                environment: environment, original: reference)
        } else {
            throw .unsupportedReference(reference)
        }
    }

    /// The Hugging Face endpoint: `ROCKCHIP_LLAMA_HF_ENDPOINT`, else `HF_ENDPOINT`, else `https://huggingface.co`,
    /// without a trailing slash.
    public static func huggingFaceEndpoint(environment: [String: String]) -> String {
        let named = [environment["ROCKCHIP_LLAMA_HF_ENDPOINT"], environment["HF_ENDPOINT"]]
            .compactMap { $0 }.first { !$0.isEmpty }
        var endpoint = Substring(named ?? "https://huggingface.co")
        while endpoint.hasSuffix("/") { endpoint = endpoint.dropLast() }
        return String(endpoint)
    }

    private init(url text: String, original: String) throws(ModelDownloadError) {
        let (address, fragment) = Self.split(Substring(text), at: "#")
        if let fragment {
            guard fragment.lowercased().hasPrefix("sha256="),
                let digest = SHA256Text.normalized(String(fragment.dropFirst("sha256=".count)))
            else { throw .unsupportedReference(original) }
            expectedSHA256 = digest
        } else {
            expectedSHA256 = nil
        }
        guard let schemeEnd = address.firstRange(of: "://"), URL(string: String(address)) != nil else {
            throw .unsupportedReference(original)
        }
        let (location, query) = Self.split(address[schemeEnd.upperBound...], at: "?")
        guard let slash = location.firstIndex(of: "/"), slash != location.startIndex else {
            throw .unsupportedReference(original)
        }
        let authority = location[..<slash]
        var segments = location[location.index(after: slash)...].split(separator: "/", omittingEmptySubsequences: false)
            .map(String.init)
        guard let last = segments.last, let name = PercentEncoding.decode(last) else {
            throw .unsupportedReference(original)
        }
        fileName = try Self.validatedFileName(name)
        let host = authority.split(separator: "@").last?.split(separator: ":").first?.lowercased() ?? ""
        if Self.huggingFaceHosts.contains(host), segments.count >= 5, ["resolve", "blob"].contains(segments[2]) {
            segments[2] = "resolve"
            let file = segments[4...].map { PercentEncoding.decode($0) ?? $0 }.joined(separator: "/")
            source = .huggingFace(repository: segments[0] + "/" + segments[1], file: file)
            url =
                address[..<schemeEnd.upperBound] + authority + "/" + segments.joined(separator: "/")
                + (query.map { "?" + $0 } ?? "")
        } else {
            source = .url
            url = String(address)
        }
    }

    private init(
        owner: String, repository: String, file: String, environment: [String: String], original: String
    ) throws(ModelDownloadError) {
        let fileSegments = file.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard Self.isRepositoryName(owner), Self.isRepositoryName(repository),
            fileSegments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else { throw .unsupportedReference(original) }
        fileName = try Self.validatedFileName(fileSegments[fileSegments.count - 1])
        source = .huggingFace(repository: owner + "/" + repository, file: file)
        expectedSHA256 = nil
        url =
            Self.huggingFaceEndpoint(environment: environment) + "/" + PercentEncoding.encode(owner) + "/"
            + PercentEncoding.encode(repository) + "/resolve/main/"
            + fileSegments.map(PercentEncoding.encode).joined(separator: "/")
    }

    /// The name checked for use as a file of the models directory: a `.gguf` or `.rkllm` file name that
    /// cannot name another directory or a hidden file.
    static func validatedFileName(_ name: String) throws(ModelDownloadError) -> String {
        let lowered = name.lowercased()
        guard lowered.hasSuffix(".gguf") || lowered.hasSuffix(".rkllm") else {
            throw .invalidFileName(name, reason: "a model file's name must end in .gguf or .rkllm")
        }
        guard !name.contains("/"), !name.contains(".."), !name.hasPrefix("."), !name.contains("\0") else {
            throw .invalidFileName(name, reason: "it must not contain '/' or '..' nor start with '.'")
        }
        guard name.utf8.count <= 240 else {
            throw .invalidFileName(name, reason: "it is longer than 240 bytes")
        }
        return name
    }

    private static func isRepositoryName(_ name: String) -> Bool {
        !name.isEmpty && name != "." && name != ".."
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// The text after `hf.co/` or `huggingface.co/`, or `nil` when it starts with neither.
    private static func dropHuggingFaceHost(_ text: String) -> Substring? {
        for prefix in ["hf.co/", "huggingface.co/"] where text.lowercased().hasPrefix(prefix) {
            return text.dropFirst(prefix.count)
        }
        return nil
    }

    private static let huggingFaceHosts: Set<String> = ["huggingface.co", "www.huggingface.co", "hf.co"]

    private static func split(_ text: Substring, at separator: Character) -> (Substring, Substring?) {
        guard let index = text.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<index], text[text.index(after: index)...])
    }
}

/// Every failure of a pull. `description` is a message for the user that names the cause.
///
/// Cancellation is not one of them: a pull whose task is cancelled throws `CancellationError` and keeps its
/// `.partial` file, like a network failure does.
public enum ModelDownloadError: Error, Sendable, Equatable {
    /// The reference is none of the accepted forms.
    case unsupportedReference(String)
    /// The file the reference names cannot be a model file in the models directory.
    case invalidFileName(String, reason: String)
    /// The server answered the download with an error status.
    case httpStatus(Int, url: String)
    /// The connection failed or broke; the `.partial` file was kept, so pulling again resumes.
    case network(url: String, reason: String)
    /// The server's answer cannot be used (a range other than the one asked for, a missing total).
    case invalidResponse(url: String, reason: String)
    /// The file does not have the size the server announced; the `.partial` file was deleted.
    case sizeMismatch(expected: Int64, actual: Int64)
    /// The file's SHA-256 digest is not the expected one; the `.partial` file was deleted.
    case digestMismatch(expected: String, actual: String)
    /// Another pull of the same file is under way, in this process or another.
    case pullInProgress(String)
    /// The models directory or a file in it could not be created, written or renamed.
    case fileSystem(path: String, reason: String)
    /// The pull policy refuses to request `url` (the reference's or a redirect's): its host is not allowed, or
    /// it is or resolves to a restricted address.
    case sourceNotAllowed(url: String, host: String, reason: String, redirected: Bool)
    /// The file is larger than the pull's limit: announced so (nothing was written) or found so while it
    /// arrived (the `.partial` file was deleted).
    case tooLarge(url: String, bytes: Int64, limit: Int64, announced: Bool)
    /// The models directory's file system lacks the room for the file; `needed` and `available` in bytes. A
    /// `.partial` file written so far is kept, so that pulling again after freeing space resumes it.
    case notEnoughDiskSpace(directory: String, needed: Int64, available: Int64)
    /// The server sent something else than a model file (`found`: an HTML page, JSON, text); the `.partial`
    /// file was deleted.
    case notAModelFile(url: String, found: String, expected: String)
    /// An `--allow-pull-from` entry is not a host name, an address or a CIDR range.
    case invalidPullSource(String, reason: String)

    /// The reference forms `pull` accepts, for messages.
    static let acceptedForms = """
        an http:// or https:// URL of a .gguf or .rkllm file (optionally ending in #sha256=<64 hex digits>), \
        hf.co/<owner>/<repo>/<file>, huggingface.co/<owner>/<repo>/<file>, or <owner>/<repo>:<file>
        """

    /// Whether the request itself is at fault (a bad reference or a file that does not exist or is not
    /// accessible), so that repeating it cannot succeed: an HTTP API answers these with a 4xx status.
    /// The others are failures of the network, the upstream server or this machine, worth retrying.
    public var isClientError: Bool {
        switch self {
        case .unsupportedReference, .invalidFileName, .sourceNotAllowed, .tooLarge, .notAModelFile, .invalidPullSource:
            true
        case .httpStatus(let status, _): (400..<500).contains(status) && status != 408 && status != 429
        case .digestMismatch, .network, .invalidResponse, .sizeMismatch, .pullInProgress, .fileSystem,
            .notEnoughDiskSpace:
            false
        }
    }
}

extension ModelDownloadError: CustomStringConvertible {
    /// A message for the user, naming the cause.
    public var description: String {
        switch self {
        case .unsupportedReference(let reference):
            "cannot pull '\(reference)': expected \(Self.acceptedForms)"
        case .invalidFileName(let name, let reason):
            "cannot pull into the file name '\(name)': \(reason)"
        case .httpStatus(let status, let url):
            Self.describe(status: status, url: url)
        case .network(let url, let reason):
            "the download of \(url) failed: \(reason); what arrived is kept, and pulling again resumes it"
        case .invalidResponse(let url, let reason):
            "the server's answer for \(url) cannot be used: \(reason)"
        case .sizeMismatch(let expected, let actual):
            "the downloaded file has \(actual) bytes but the server announced \(expected); it was deleted"
        case .digestMismatch(let expected, let actual):
            "the downloaded file's sha256 is \(actual) but \(expected) was expected; it was deleted"
        case .pullInProgress(let name):
            "\(name) is already being pulled; wait for that pull to end"
        case .fileSystem(let path, let reason):
            "cannot write \(path): \(reason)"
        case .sourceNotAllowed(let url, let host, let reason, let redirected):
            (redirected ? "the pull was redirected to \(url), which is refused" : "the pull of \(url) is refused")
                + (host.isEmpty
                    ? ": \(reason)"
                    : ": \(host) is not allowed (\(reason)); to allow it, pass --allow-pull-from \(host) or add it to "
                        + "ROCKCHIP_LLAMA_ALLOW_PULL_FROM")
        case .tooLarge(let url, let bytes, let limit, let announced):
            announced
                ? "\(url) is \(bytes) bytes, over the pull limit of \(limit) bytes; nothing was written (raise it "
                    + "with --max-pull-bytes)"
                : "\(url) sent more than the pull limit of \(limit) bytes; the partial file was deleted (raise it "
                    + "with --max-pull-bytes)"
        case .notEnoughDiskSpace(let directory, let needed, let available):
            "not enough disk space in \(directory): the pull needs \(needed) bytes more and \(available) are free; "
                + "what arrived is kept, and pulling again after freeing space resumes it"
        case .notAModelFile(let url, let found, let expected):
            "the server at \(PullPolicy.hostName(of: url)) sent \(found), not \(expected) (\(url)); nothing was kept"
        case .invalidPullSource(let entry, let reason):
            "cannot allow pulls from '\(entry)': \(reason)"
        }
    }

    private static func describe(status: Int, url: String) -> String {
        switch status {
        case 401, 403:
            "access to \(url) was refused (HTTP \(status)); the repository may be gated or private: accept its "
                + "terms on its page and set HF_TOKEN to an access token"
        case 404:
            "\(url) was not found (HTTP 404); check the owner, repository and file name"
        case 500..<600:
            "the server failed to serve \(url) (HTTP \(status)); try again later"
        default:
            "the server answered HTTP \(status) for \(url)"
        }
    }
}

import Conversation
import EngineSupport
import InferenceTypes
import ModelStore
import SchemaGrammar

/// One step of pulling a model, in the order Ollama's `/api/pull` reports them: `pulling manifest`,
/// `pulling <digest>` (repeated as bytes arrive), `verifying sha256 digest`, `writing manifest`, `success`.
public struct PullProgress: Sendable, Equatable {
    /// What is being done, in Ollama's words.
    public var status: String
    /// The file's digest as `sha256:<hex>` while it downloads, when it is known; `nil` otherwise.
    public var digest: String?
    /// The file's size in bytes while it downloads, when the server announced it.
    public var total: Int64?
    /// The bytes on disk so far while it downloads (a resumed download starts above zero).
    public var completed: Int64?

    /// Creates a progress report.
    public init(status: String, digest: String? = nil, total: Int64? = nil, completed: Int64? = nil) {
        self.status = status
        self.digest = digest
        self.total = total
        self.completed = completed
    }
}

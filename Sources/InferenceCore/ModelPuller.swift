import Conversation
import EngineSupport
import InferenceTypes
import ModelStore
import SchemaGrammar

/// Fetches a model file into the models directory. The server's implementation downloads it over HTTP;
/// the core only needs this one capability.
public protocol ModelPuller: Sendable {
    /// Downloads `reference` (a URL or a Hugging Face reference) into `directory`, reporting progress, and
    /// returns the file name. Throws `InferenceError.pullFailed` with a message and the kind of failure.
    func pull(_ reference: String, into directory: String, progress: @Sendable (PullProgress) async -> Void)
        async throws -> String
}

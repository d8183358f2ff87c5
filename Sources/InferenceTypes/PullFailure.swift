/// What kind of failure ended a pull, so that each API dialect can answer it in its own terms.
public enum PullFailure: String, Sendable, Equatable, Codable, CaseIterable {
    /// The reference, or the file it names, cannot be pulled: repeating the same pull cannot succeed.
    case badReference
    /// The remote side has no file at that reference.
    case notFound
    /// The pull policy refuses the source the reference (or a redirect) names.
    case sourceRefused
    /// Another pull of the same file is under way.
    case inProgress
    /// The models directory lacks the room for the file.
    case insufficientStorage
    /// The remote side, the network or the writing of the file failed; a later pull may succeed.
    case remoteFailed
    /// This server cannot pull models at all.
    case unsupported
    /// The pull seemed to succeed but its model cannot be found: a fault of this server.
    case internalFailure
}

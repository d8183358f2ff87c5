/// Why a file in the models directory (a model or its sidecar) cannot be read. Model files come from anywhere,
/// so each of these is an expected outcome, reported per file while the other models keep working.
public enum ModelFileError: Error, Sendable, Equatable {
    /// Nothing has the name.
    case missing
    /// Something other than a regular file has the name (`a FIFO`, `a directory`, `a device`, `a socket`).
    case notRegularFile(kind: String)
    /// The name is a symbolic link whose target does not exist.
    case danglingLink
    /// The file could not be opened or read; the operating system's reason in plain words.
    case unreadable(reason: String)
    /// The file is larger than this kind of file may be.
    case tooLarge(bytes: Int64, limit: Int)
    /// The file does not start with the GGUF magic.
    case notGGUF
    /// The GGUF version is not one this reader knows.
    case unsupportedGGUFVersion(UInt32)
    /// The file ends inside its GGUF header.
    case truncated
    /// An array in the GGUF header holds arrays deeper than the limit.
    case nestedTooDeep(limit: Int)
    /// A length or count in the GGUF header claims more bytes than are left in the file; `claim` says what
    /// (`a string of 1152921504606846976 bytes`).
    case claimExceedsFile(claim: String, remainingBytes: Int)
    /// A GGUF key is longer than the format allows.
    case keyTooLong(bytes: UInt64, limit: Int)
    /// A GGUF string this reader keeps is longer than the limit.
    case valueTooLarge(key: String, bytes: Int, limit: Int)
    /// The GGUF header's keys and kept values add up to more than the limit.
    case metadataTooLarge(limit: Int)
    /// The GGUF header reaches further into the file than the limit.
    case headerTooLarge(limit: Int)
    /// A GGUF value type code this reader does not know.
    case unknownGGUFType(UInt32)
}

extension ModelFileError: CustomStringConvertible {
    /// The reason in plain words, without any path (callers put the file name in front).
    public var description: String {
        switch self {
        case .missing: "does not exist"
        case .notRegularFile(let kind): "not a regular file (it is \(kind))"
        case .danglingLink: "a symbolic link to a file that does not exist"
        case .unreadable(let reason): "cannot be read: \(reason)"
        case .tooLarge(let bytes, let limit):
            "\(ByteCountText.of(bytes)) is larger than the \(ByteCountText.of(Int64(limit))) allowed"
        case .notGGUF: "not a GGUF file (it does not start with \"GGUF\")"
        case .unsupportedGGUFVersion(let version): "GGUF version \(version) is not supported"
        case .truncated: "the GGUF header is truncated"
        case .nestedTooDeep(let limit): "GGUF header array nested deeper than \(limit) levels"
        case .claimExceedsFile(let claim, let remaining):
            "the GGUF header claims \(claim), but only \(remaining) bytes remain in the file"
        case .keyTooLong(let bytes, let limit): "a GGUF key is \(bytes) bytes long, more than the \(limit) allowed"
        case .valueTooLarge(let key, let bytes, let limit):
            "GGUF value \(key) is \(ByteCountText.of(Int64(bytes))), more than the \(ByteCountText.of(Int64(limit))) "
                + "this server reads"
        case .metadataTooLarge(let limit):
            "the GGUF header holds more than \(ByteCountText.of(Int64(limit))) of metadata"
        case .headerTooLarge(let limit):
            "the GGUF header is larger than the \(ByteCountText.of(Int64(limit))) this server reads"
        case .unknownGGUFType(let type): "unknown GGUF value type \(type)"
        }
    }
}

import FoundationEssentials
public import InferenceTypes
public import OrderedJSON

/// The one reader of a model's sidecar file (`<model file>.json`): what the model file itself cannot say, for
/// every engine. Each engine reads its own keys from what this returns (`chat_template` for all of them).
public enum ModelSidecar {
    /// The largest sidecar file read; a sidecar is a few KiB, with a chat template at most a few dozen.
    public static var maxBytes: Int { 4 << 20 }

    /// The sidecar's bytes and their JSON, `nil` when there is no sidecar. A sidecar that is not a regular file,
    /// is larger than `maxBytes` or is not JSON (the depth-limited parser decides, so that a decoder only ever
    /// sees well-formed, shallow JSON) is a load error naming the file, never its directory.
    public static func read(forModelAt path: String) throws(InferenceError) -> (bytes: [UInt8], json: JSONValue)? {
        let bytes: [UInt8]?
        do {
            bytes = try ModelFile.contents(of: path + ".json", limit: maxBytes)
        } catch {
            throw failure(forModelAt: path, "\(error)")
        }
        guard let bytes else { return nil }
        do {
            return (bytes, try JSONValue(parsing: bytes))
        } catch {
            throw failure(forModelAt: path, "not valid JSON: \(error)")
        }
    }

    /// The sidecar's `chat_template`, which wins over the template stored in the model; `nil` when there is no
    /// sidecar or it gives none, and a load error when it is not a string.
    public static func chatTemplate(forModelAt path: String) throws(InferenceError) -> String? {
        guard let sidecar = try read(forModelAt: path) else { return nil }
        switch sidecar.json["chat_template"] {
        case nil, .null?: return nil
        case .string(let template)?: return template
        default: throw failure(forModelAt: path, "\"chat_template\" must be a string")
        }
    }

    /// A load error of the model at `path` whose sidecar is wrong for `reason`, naming the sidecar's file.
    public static func failure(forModelAt path: String, _ reason: String) -> InferenceError {
        .modelLoadFailed(model: PathNames.fileName(path), reason: "\(PathNames.fileName(path)).json: \(reason)")
    }
}

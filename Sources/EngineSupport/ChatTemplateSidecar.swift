import FoundationEssentials
public import InferenceTypes
import OrderedJSON

/// The `chat_template` of a model's sidecar file (`<model file>.json`), which wins over the template stored
/// in the model.
public enum ChatTemplateSidecar {
    /// The largest sidecar file read; a chat template is a few KiB.
    public static var maxBytes: Int { 4 << 20 }

    /// The sidecar's `chat_template` string; `nil` when there is no sidecar or it gives none. A sidecar that
    /// is not a regular file, is larger than `maxBytes`, is not JSON, or whose `chat_template` is not a string
    /// is a load error naming the file (never its directory).
    public static func chatTemplate(forModelAt path: String) throws(InferenceError) -> String? {
        let sidecarName = PathNames.fileName(path) + ".json"
        let bytes: [UInt8]?
        do {
            bytes = try ModelFile.contents(of: path + ".json", limit: maxBytes)
        } catch {
            throw .modelLoadFailed(model: PathNames.fileName(path), reason: "\(sidecarName): \(error)")
        }
        guard let bytes else { return nil }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: bytes)
        } catch {
            throw .modelLoadFailed(
                model: PathNames.fileName(path), reason: "\(sidecarName) is not valid JSON: \(error)")
        }
        switch value["chat_template"] {
        case nil, .null?: return nil
        case .string(let template)?: return template
        default:
            throw .modelLoadFailed(
                model: PathNames.fileName(path), reason: "\(sidecarName): \"chat_template\" must be a string")
        }
    }
}

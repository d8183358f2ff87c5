import FoundationEssentials
import OrderedJSON

/// The `chat_template` of a model's sidecar file (`<model file>.json`), which wins over the template stored
/// in the model.
public enum ChatTemplateSidecar {
    /// The sidecar's `chat_template` string; `nil` when there is no sidecar or it gives none. A sidecar that
    /// is not JSON, or whose `chat_template` is not a string, is a load error naming the file.
    public static func chatTemplate(forModelAt path: String) throws(InferenceError) -> String? {
        let sidecarPath = path + ".json"
        guard let data = FileManager.default.contents(atPath: sidecarPath) else { return nil }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Array(data))
        } catch {
            throw .modelLoadFailed(model: PathNames.fileName(path), reason: "cannot read \(sidecarPath): \(error)")
        }
        switch value["chat_template"] {
        case nil, .null?: return nil
        case .string(let template)?: return template
        default:
            throw .modelLoadFailed(
                model: PathNames.fileName(path), reason: "\(sidecarPath): \"chat_template\" must be a string")
        }
    }
}

import FoundationEssentials
import Glibc

extension ModelRegistry {
    /// Makes `model` available under another name: a new file in the models directory (a hard link when the
    /// file system allows, so no space is used), with the model's sidecar file if it has one.
    /// - Returns: the new model.
    public func copy(_ model: ModelDescriptor, to name: String) throws(InferenceError) -> ModelDescriptor {
        let base = try Self.checkedFileName(name)
        let fileName = "\(base).\(model.format.rawValue)"
        let destination = "\(directory)/\(fileName)"
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw .invalidRequest("a model file named \(fileName) already exists")
        }
        do {
            try link(model.path, destination)
            let sidecar = model.path + ".json"
            if FileManager.default.fileExists(atPath: sidecar) { try link(sidecar, destination + ".json") }
        } catch {
            throw .engineFailure("cannot copy \(model.fileName) to \(fileName): \(error)")
        }
        guard let copied = models().first(where: { $0.fileName == fileName }) else {
            throw .engineFailure("the copy \(fileName) does not show in the models directory")
        }
        return copied
    }

    /// Deletes a model's file and its sidecar file.
    public func delete(_ model: ModelDescriptor) throws(InferenceError) {
        do {
            try FileManager.default.removeItem(atPath: model.path)
            let sidecar = model.path + ".json"
            if FileManager.default.fileExists(atPath: sidecar) { try FileManager.default.removeItem(atPath: sidecar) }
        } catch {
            throw .engineFailure("cannot delete \(model.fileName): \(error)")
        }
    }

    /// A hard link, or a copy when the file system refuses one.
    private func link(_ source: String, _ destination: String) throws {
        if Glibc.link(source, destination) == 0 { return }
        try FileManager.default.copyItem(atPath: source, toPath: destination)
    }

    /// A model name usable as a file name in the models directory, or a 400 that says why not.
    static func checkedFileName(_ name: String) throws(InferenceError) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
        guard !name.isEmpty, name.count <= 200, name.allSatisfy({ allowed.contains($0) }), !name.hasPrefix("."),
            name != "..", !name.contains("..")
        else {
            throw .invalidRequest(
                "invalid model name \"\(name)\": use letters, digits, '.', '_' and '-' (no '/' or '..')")
        }
        return name
    }
}

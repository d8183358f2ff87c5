import EngineSupport
import FoundationEssentials
import Glibc
public import InferenceTypes

extension ModelRegistry {
    /// How a derived model's file name ends: `<name>.derived.json`.
    static var derivedSuffix: String { ".derived.json" }

    /// The largest derived-model file read (a definition is a few KiB; a chat template at most a few dozen).
    static var maxDerivedBytes: Int { 1 << 20 }

    /// The derived models whose base is among `models`, as descriptors: the base's file under the derived
    /// name (so the base's engine serves them), modified when the definition was. A definition whose name is
    /// taken, whose base is gone, or that cannot be read is left out.
    func derivedEntries(basedOn models: [ModelDescriptor], taken: inout Set<String>, names: [String])
        -> [ModelDescriptor]
    {
        var entries: [ModelDescriptor] = []
        for fileName in names.sorted() where fileName.hasSuffix(Self.derivedSuffix) && !fileName.hasPrefix(".") {
            let path = directory + "/" + fileName
            guard let definition = Self.readDefinition(at: path), !taken.contains(definition.name),
                let base = models.first(where: { $0.fileName == definition.from }),
                let status = try? ModelFile.status(of: path)
            else { continue }
            taken.insert(definition.name)
            entries.append(
                ModelDescriptor(
                    id: definition.name, path: base.path, format: base.format, sizeBytes: base.sizeBytes,
                    modifiedAt: status.modifiedAt))
        }
        return entries
    }

    /// The defaults of a model made by `POST /api/create`: the definition named after the model whose base
    /// is the model's file; `nil` for a model file without one.
    public func derivedDefinition(of model: ModelDescriptor) -> DerivedModel? {
        guard let definition = Self.readDefinition(at: definitionPath(model.id)),
            definition.from == model.fileName
        else { return nil }
        return definition
    }

    /// Whether the model is only a definition over another model's file (deleting it keeps the file); a
    /// model file with defaults of its own (`/api/create` from `files` with a system prompt) is not.
    public func isDerivedOnly(_ model: ModelDescriptor) -> Bool {
        guard derivedDefinition(of: model) != nil else { return false }
        return model.id != friendlyName(of: model.fileName, format: model.format)
            && model.id != PathNames.stem(model.fileName).lowercased()
    }

    /// A model name usable in the models directory, lower-cased as its names are; else an `.invalidRequest`.
    public static func checkedModelName(_ name: String) throws(InferenceError) -> String {
        try checkedFileName(name).lowercased()
    }

    /// Writes (or replaces) a definition; its name must be usable as a file name.
    /// - Returns: the model as the directory now lists it.
    public func saveDefinition(_ definition: DerivedModel) throws(InferenceError) -> ModelDescriptor {
        let name = try Self.checkedFileName(definition.name)
        let bytes: [UInt8]
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
            bytes = Array(try encoder.encode(definition))
        } catch {
            throw .engineFailure("cannot encode the definition of \(name): \(error)")
        }
        try Self.writeAtomically(bytes, to: definitionPath(name), in: directory)
        guard let model = models().first(where: { $0.id == name }) else {
            throw .engineFailure("the model \(name) does not show in the models directory")
        }
        return model
    }

    /// Deletes the definition of a model (only the definition: the base's file stays).
    func deleteDefinition(_ model: ModelDescriptor) throws(InferenceError) {
        guard unlink(definitionPath(model.id)) == 0 || errno == ENOENT else {
            throw .engineFailure("cannot delete the definition of \(model.id): \(ModelFile.reason(errno))")
        }
    }

    /// A copy of a derived model is a copy of its definition under the new name.
    func copyDefinition(_ definition: DerivedModel, to name: String, from fileName: String) throws(InferenceError)
        -> ModelDescriptor
    {
        let name = try Self.checkedFileName(name).lowercased()
        if resolve(name) != nil {
            throw .invalidRequest("a model named \(name) already exists; remove it or choose another name")
        }
        var copy = definition
        copy.name = name
        copy.from = fileName
        return try saveDefinition(copy)
    }

    private func definitionPath(_ name: String) -> String {
        directory + "/" + name + Self.derivedSuffix
    }

    private static func readDefinition(at path: String) -> DerivedModel? {
        guard let bytes = try? ModelFile.contents(of: path, limit: maxDerivedBytes) else { return nil }
        return try? JSONDecoder().decode(DerivedModel.self, from: Data(bytes))
    }

    /// Writes `bytes` to a temporary file in `directory`, then renames it over `path`.
    static func writeAtomically(_ bytes: [UInt8], to path: String, in directory: String) throws(InferenceError) {
        let temporary = "\(directory)/.\(PathNames.fileName(path)).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw .engineFailure("cannot write \(PathNames.fileName(path)): \(ModelFile.reason(errno))")
        }
        var written = 0
        while written < bytes.count {
            // The pointer stays inside `bytes`: at most `bytes.count - written` bytes from `written` on.
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else {
                let reason = ModelFile.reason(errno)
                close(descriptor)
                unlink(temporary)
                throw .engineFailure("cannot write \(PathNames.fileName(path)): \(reason)")
            }
            written += count
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let reason = ModelFile.reason(errno)
            unlink(temporary)
            throw .engineFailure("cannot write \(PathNames.fileName(path)): \(reason)")
        }
    }
}

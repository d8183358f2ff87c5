import FoundationEssentials

/// The models directory as the server sees it: every model file in it, under the name clients use.
///
/// The directory is the source of truth: each call reads it again, so files that appear or disappear are
/// seen at once (a listing is one `readdir` and a `stat` per file).
public struct ModelRegistry: Sendable {
    /// The directory searched for model files.
    public let directory: String

    /// Creates a registry over a directory, which need not exist yet.
    public init(directory: String) {
        self.directory = PathNames.expandingTilde(directory)
    }

    /// Every model file in the directory, sorted by name. When two files share a friendly name, the first
    /// one in file-name order keeps it and the others are listed under their lower-cased stems.
    public func models() -> [ModelDescriptor] {
        let fileManager = FileManager.default
        guard let names = try? fileManager.contentsOfDirectory(atPath: directory) else { return [] }
        var taken = Set<String>()
        var models: [ModelDescriptor] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            guard let format = ModelFormat(fileExtension: PathNames.fileExtension(name)) else { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            // Attributes of the file itself, not of a symbolic link to it.
            let target =
                (try? fileManager.destinationOfSymbolicLink(atPath: path)).map { link in
                    link.hasPrefix("/") ? link : directory + "/" + link
                } ?? path
            guard let attributes = try? fileManager.attributesOfItem(atPath: target),
                attributes[.type] as? FileAttributeType != .typeDirectory
            else { continue }
            var id = friendlyName(of: name, format: format)
            if taken.contains(id) { id = PathNames.stem(name).lowercased() }
            taken.insert(id)
            models.append(
                ModelDescriptor(
                    id: id, path: path, format: format,
                    sizeBytes: Self.size(attributes[.size]),
                    modifiedAt: attributes[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)
                )
            )
        }
        return models
    }

    /// The model a client means by `name`: its friendly name, its file name or its stem, ignoring case.
    public func resolve(_ name: String) -> ModelDescriptor? {
        let wanted = name.lowercased()
        let all = models()
        return all.first { $0.id == wanted }
            ?? all.first { $0.fileName.lowercased() == wanted || $0.stem.lowercased() == wanted }
    }

    private static func size(_ value: Any?) -> Int64 {
        switch value {
        case let size as Int: Int64(size)
        case let size as Int64: size
        case let size as UInt64: Int64(clamping: size)
        default: 0
        }
    }

    private func friendlyName(of fileName: String, format: ModelFormat) -> String {
        switch format {
        case .gguf: ModelNaming.friendlyName(forGGUF: fileName)
        case .rkllm: RKLLMFileName(fileName).friendlyName
        }
    }
}

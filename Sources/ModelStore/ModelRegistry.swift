import EngineSupport
import FoundationEssentials
import GGUF
public import InferenceTypes
public import Logging

/// The models directory as the server sees it: every model file in it, under the name clients use.
///
/// The directory is the source of truth: each call reads it again, so files that appear or disappear are
/// seen at once (a listing is one `readdir` and a `stat` per file). Anything can be in the directory: an
/// entry with a model's extension that is not a regular file (a FIFO, a directory, a dangling link) is not
/// listed, and a GGUF file whose header cannot be read is listed but refuses to load; each is logged once.
public struct ModelRegistry: Sendable {
    /// The directory searched for model files.
    public let directory: String
    private let warnings: ModelFileWarnings

    /// Creates a registry over a directory, which need not exist yet.
    /// - Parameter logger: where unusable model files are reported, once each; `nil` reports nothing.
    public init(directory: String, logger: Logger? = nil) {
        self.directory = PathNames.expandingTilde(directory)
        self.warnings = ModelFileWarnings(logger: logger)
    }

    /// Every model file in the directory, sorted by name. When two files share a friendly name, the first
    /// one in file-name order keeps it and the others are listed under their lower-cased stems.
    public func models() -> [ModelDescriptor] {
        scan().models
    }

    /// The model a client means by `name`: its friendly name, its file name or its stem, ignoring case, each
    /// also with Ollama's `:latest` tag (every dialect accepts every name any dialect lists).
    public func resolve(_ name: String) -> ModelDescriptor? {
        Self.match(name, in: models())
    }

    /// The model a client means by `name`, or why not: `.modelNotFound`, or `.modelLoadFailed` naming the
    /// file and its problem when the name is that of an entry that cannot be a model (a FIFO named `x.gguf`).
    public func find(_ name: String) throws(InferenceError) -> ModelDescriptor {
        let listing = scan()
        if let model = Self.match(name, in: listing.models) { return model }
        let wanted = Self.untagged(name)
        let refused = listing.refused.first { entry in
            [entry.fileName, PathNames.stem(entry.fileName), friendlyName(of: entry.fileName, format: entry.format)]
                .contains { $0.lowercased() == wanted }
        }
        guard let refused else { throw .modelNotFound(name) }
        throw .modelLoadFailed(model: name, reason: "\(refused.fileName): \(refused.problem)")
    }

    /// An entry with a model's extension that is not served.
    private struct RefusedEntry {
        var fileName: String
        var format: ModelFormat
        var problem: ModelFileError
    }

    private func scan() -> (models: [ModelDescriptor], refused: [RefusedEntry]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return ([], []) }
        var taken = Set<String>()
        var models: [ModelDescriptor] = []
        var refused: [RefusedEntry] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            guard let format = ModelFormat(fileExtension: PathNames.fileExtension(name)), !Self.isLoraAdapter(name)
            else { continue }
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            let status: ModelFile.Status
            do {
                status = try ModelFile.status(of: path)
            } catch {
                // Gone between `readdir` and `stat`: nothing to report.
                if error == .missing { continue }
                warnings.warnOnce(key: "\(name)|\(error)", fileName: name, "\(name) is not served: \(error)")
                refused.append(RefusedEntry(fileName: name, format: format, problem: error))
                continue
            }
            var id = friendlyName(of: name, format: format)
            if taken.contains(id) { id = PathNames.stem(name).lowercased() }
            taken.insert(id)
            let model = ModelDescriptor(
                id: id, path: path, format: format, sizeBytes: status.size, modifiedAt: status.modifiedAt)
            if let problem = ModelDetails.of(model).problem {
                warnings.warnOnce(
                    key: "\(name)|\(status.size)|\(status.modifiedAt.timeIntervalSince1970)|\(problem)",
                    fileName: name, "\(name): \(problem); it is listed, but it will not load")
            }
            models.append(model)
        }
        models += derivedEntries(basedOn: models, taken: &taken, names: names)
        return (models, refused)
    }

    private static func match(_ name: String, in models: [ModelDescriptor]) -> ModelDescriptor? {
        let wanted = untagged(name)
        return models.first { $0.id.lowercased() == wanted }
            ?? models.first { $0.fileName.lowercased() == wanted || $0.stem.lowercased() == wanted }
    }

    /// A name as the registry compares it: lower-cased, without Ollama's `:latest` tag (`/api/tags` lists
    /// `smollm2-135m-instruct:latest`, and Open WebUI sends that name to `/v1` too).
    static func untagged(_ name: String) -> String {
        let lowered = name.lowercased()
        return lowered.hasSuffix(":latest") ? String(lowered.dropLast(":latest".count)) : lowered
    }

    func friendlyName(of fileName: String, format: ModelFormat) -> String {
        switch format {
        case .gguf: ModelNaming.friendlyName(forGGUF: fileName)
        case .rkllm: RKLLMFileName(fileName).friendlyName
        }
    }
}

import FoundationEssentials
import Glibc
public import InferenceTypes

/// The named prompt caches of the models directory: under `<models dir>/cache/<model id>/`, each cache is
/// the engine's state file `<name>.bin` and its description `<name>.json` (`PromptCacheEntry`). They are only
/// files, so they survive a restart and an unload; the models registry never lists the folder (it holds no
/// model file).
public struct PromptCacheStore: Sendable {
    /// The cache folder, `<models dir>/cache`.
    public let root: String

    /// The store of the models directory `modelsDirectory`.
    public init(modelsDirectory: String) {
        root = (modelsDirectory.hasSuffix("/") ? modelsDirectory : modelsDirectory + "/") + "cache"
    }

    /// The longest name a cache may have.
    public static let maxNameLength = 64

    /// Refuses a name that is not 1-64 letters, digits, `.`, `_` or `-` starting with a letter or digit
    /// (`.invalidRequest`): a name is a file name, never a path.
    public static func check(name: String) throws(InferenceError) {
        let scalars = Array(name.unicodeScalars)
        let valid =
            !scalars.isEmpty && scalars.count <= maxNameLength && isAlphanumeric(scalars[0])
            && scalars.allSatisfy { isAlphanumeric($0) || $0 == "." || $0 == "_" || $0 == "-" }
        guard valid else {
            throw .invalidRequest(
                "cache_name must be 1-\(maxNameLength) ASCII letters, digits, '.', '_' or '-', beginning with a "
                    + "letter or digit")
        }
    }

    private static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    /// The folder of `model`'s caches: its id, with anything but letters, digits, `.`, `_` and `-` as `_`.
    public func directory(of model: ModelDescriptor) -> String {
        root + "/" + PathNames.component(for: model.id)
    }

    /// The engine's state file of the cache `name`.
    public func statePath(_ name: String, of model: ModelDescriptor) -> String {
        directory(of: model) + "/" + name + ".bin"
    }

    /// The description of the cache `name`.
    func metadataPath(_ name: String, of model: ModelDescriptor) -> String {
        directory(of: model) + "/" + name + ".json"
    }

    /// The caches of `model`, by name; a description that cannot be read, or whose state file is gone, is
    /// left out.
    public func entries(of model: ModelDescriptor) -> [PromptCacheEntry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory(of: model))) ?? []
        return names.filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().compactMap { file in
            try? entry(String(file.dropLast(5)), of: model)
        }
    }

    /// The cache `name` of `model`; `.promptCacheNotFound` when it has none of that name (or its state file
    /// is gone), `.invalidRequest` for a name no cache can have.
    public func entry(_ name: String, of model: ModelDescriptor) throws(InferenceError) -> PromptCacheEntry {
        try Self.check(name: name)
        guard FileManager.default.fileExists(atPath: statePath(name, of: model)),
            let data = FileManager.default.contents(atPath: metadataPath(name, of: model)),
            let entry = try? JSONDecoder().decode(PromptCacheEntry.self, from: data), entry.name == name
        else { throw .promptCacheNotFound(name: name, model: model.id) }
        return entry
    }

    /// A fresh path in `model`'s folder (made when missing) for the engine to write a new state to, before
    /// `commit` gives it its name.
    func temporaryStatePath(_ name: String, of model: ModelDescriptor) throws(InferenceError) -> String {
        let directory = directory(of: model)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .engineFailure("cannot create the prompt cache folder: \(error)")
        }
        return directory + "/." + name + "." + UUID().uuidString + ".partial"
    }

    /// Names the state the engine wrote at `temporary` as the cache `entry.name`, replacing one of that name,
    /// and writes its description.
    func commit(_ entry: PromptCacheEntry, stateAt temporary: String, of model: ModelDescriptor)
        throws(InferenceError)
    {
        let state = statePath(entry.name, of: model)
        guard rename(temporary, state) == 0 else {
            throw .engineFailure("cannot keep the prompt cache: \(String(cString: strerror(errno)))")
        }
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(entry).write(
                to: URL(fileURLWithPath: metadataPath(entry.name, of: model)), options: .atomic)
        } catch {
            unlink(state)
            throw .engineFailure("cannot write the prompt cache's description: \(error)")
        }
    }

    /// Deletes the cache `name` of `model`; `.promptCacheNotFound` when there is none.
    public func remove(_ name: String, of model: ModelDescriptor) throws(InferenceError) {
        try Self.check(name: name)
        let description = metadataPath(name, of: model)
        guard FileManager.default.fileExists(atPath: description) else {
            throw .promptCacheNotFound(name: name, model: model.id)
        }
        unlink(description)
        unlink(statePath(name, of: model))
    }

    /// Deletes a state file the engine wrote for a cache that was not kept.
    func discard(_ path: String) {
        unlink(path)
    }
}

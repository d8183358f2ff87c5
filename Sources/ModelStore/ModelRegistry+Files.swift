import EngineSupport
import GGUF
import Glibc
public import InferenceTypes

extension ModelRegistry {
    /// Makes `model` available under another name: a new file in the models directory (a hard link when the
    /// file system allows, so no space is used), with the model's sidecar file if it has one.
    ///
    /// A name that is taken by anything at all (a file, a directory, a dangling symbolic link) is an `.invalidRequest`
    /// that says what holds it; nothing is ever written through a link.
    /// - Returns: the new model.
    public func copy(_ model: ModelDescriptor, to name: String) throws(InferenceError) -> ModelDescriptor {
        if isDerivedOnly(model), let definition = derivedDefinition(of: model) {
            return try copyDefinition(definition, to: name, from: model.fileName)
        }
        let base = try Self.checkedFileName(name)
        let fileName = "\(base).\(model.format.rawValue)"
        let destination = "\(directory)/\(fileName)"
        let sidecar = model.path + ".json"
        let hasSidecar = Self.entryExists(sidecar)
        try Self.requireFree(destination, fileName: fileName)
        if hasSidecar { try Self.requireFree(destination + ".json", fileName: fileName + ".json") }
        try Self.link(model.path, destination, source: model.fileName, copy: fileName)
        if hasSidecar {
            do {
                try Self.link(
                    sidecar, destination + ".json", source: model.fileName + ".json", copy: fileName + ".json")
            } catch {
                unlink(destination)
                throw error
            }
        }
        guard let copied = models().first(where: { $0.fileName == fileName }) else {
            throw .engineFailure("the copy \(fileName) does not show in the models directory")
        }
        return copied
    }

    /// Deletes a model's file and its sidecar file (a symbolic link is removed, never what it points to).
    public func delete(_ model: ModelDescriptor) throws(InferenceError) {
        if derivedDefinition(of: model) != nil {
            let derivedOnly = isDerivedOnly(model)
            try deleteDefinition(model)
            if derivedOnly { return }
        }
        guard unlink(model.path) == 0 else {
            let code = errno
            if code == ENOENT { throw .modelNotFound(model.id) }
            throw .engineFailure("cannot delete \(model.fileName): \(ModelFile.reason(code))")
        }
        let sidecar = model.path + ".json"
        guard Self.entryExists(sidecar) else { return }
        guard unlink(sidecar) == 0 || errno == ENOENT else {
            throw .engineFailure("cannot delete \(model.fileName).json: \(ModelFile.reason(errno))")
        }
    }

    /// Whether a file in the models directory is an RKLLM model's LoRA adapter (`<model stem>.lora.<name>.rkllm`),
    /// which its model loads and which is not a model of its own. An adapter folder (`<model stem>.lora/`) has no
    /// model extension and is never listed.
    static func isLoraAdapter(_ fileName: String) -> Bool {
        guard fileName.hasSuffix(".rkllm") else { return false }
        // `<stem>.lora.<name>.rkllm`: a stem, then `.lora.`, then a name before the extension.
        let parts = fileName.dropLast(".rkllm".count).split(separator: ".", omittingEmptySubsequences: false)
        guard let marker = parts.dropFirst().firstIndex(of: "lora") else { return false }
        return marker < parts.count - 1
    }

    /// A model name usable as a file name in the models directory, or an `.invalidRequest` that says why not.
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

    /// Whether anything has the name, a dangling symbolic link included.
    private static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// An `.invalidRequest` when anything already has the name, saying what.
    private static func requireFree(_ path: String, fileName: String) throws(InferenceError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        let what: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: what = "a model file named \(fileName) already exists"
        case S_IFLNK:
            var target = stat()
            what =
                stat(path, &target) == 0
                ? "a symbolic link named \(fileName) already exists in the models directory"
                : "\(fileName) already exists in the models directory as a symbolic link to a missing file"
        case S_IFDIR: what = "a directory named \(fileName) already exists in the models directory"
        default: what = "\(fileName) already exists in the models directory and is not a regular file"
        }
        throw .invalidRequest("\(what); remove it or choose another name")
    }

    /// A hard link, or a copy of the bytes when the file system refuses hard links.
    static func link(_ path: String, _ destination: String, source: String, copy: String)
        throws(InferenceError)
    {
        if Glibc.link(path, destination) == 0 { return }
        let code = errno
        if code == EEXIST {
            throw .invalidRequest("a file named \(copy) already exists; remove it or choose another name")
        }
        guard [EPERM, EMLINK, EXDEV, ENOTSUP].contains(code) else {
            throw .engineFailure("cannot copy \(source) to \(copy): \(ModelFile.reason(code))")
        }
        if let reason = copyBytes(from: path, to: destination) {
            unlink(destination)
            throw .engineFailure("cannot copy \(source) to \(copy): \(reason)")
        }
    }

    /// Copies a regular file into a new file that must not exist yet (`O_EXCL` never follows a link).
    /// - Returns: why it failed, `nil` when it did not.
    private static func copyBytes(from path: String, to destination: String) -> String? {
        let source: (descriptor: Int32, size: Int64)
        do {
            source = try ModelFile.openForReading(path)
        } catch {
            return "\(error)"
        }
        defer { close(source.descriptor) }
        let target = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard target >= 0 else { return ModelFile.reason(errno) }
        defer { close(target) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            // Both pointers stay inside `buffer`: reads fill at most its size, writes send what was read.
            let read = buffer.withUnsafeMutableBytes { Glibc.read(source.descriptor, $0.baseAddress!, $0.count) }
            if read < 0, errno == EINTR { continue }
            guard read >= 0 else { return ModelFile.reason(errno) }
            if read == 0 { return nil }
            var written = 0
            while written < read {
                let count = buffer.withUnsafeBytes { write(target, $0.baseAddress! + written, read - written) }
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return ModelFile.reason(errno) }
                written += count
            }
        }
    }
}

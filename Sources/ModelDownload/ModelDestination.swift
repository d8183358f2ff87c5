import InferenceCore
import InferenceTypes

/// Where a pulled file goes: `<directory>/<name>`, written first as the hidden `<directory>/.<name>.partial`
/// (the model registry skips hidden files), in a directory resolved so that neither path can lead outside it.
struct ModelDestination: Sendable {
    /// The models directory, absolute and with symbolic links resolved.
    let directory: String
    /// The file name, checked by `ModelReference.validatedFileName`.
    let fileName: String

    /// Creates the directory when it is missing and resolves it; refuses a name that would leave it.
    init(directory: String, fileName: String) throws(ModelDownloadError) {
        let expanded = PathNames.expandingTilde(directory)
        try FileSystem.createDirectory(expanded)
        let resolved = try FileSystem.realPath(expanded)
        let name = try ModelReference.validatedFileName(fileName)
        let final = (resolved == "/" ? "" : resolved) + "/" + name
        guard PathNames.directory(final) == resolved, PathNames.fileName(final) == name else {
            throw .invalidFileName(name, reason: "it would be written outside \(resolved)")
        }
        self.directory = resolved
        self.fileName = name
    }

    /// The finished file.
    var finalPath: String { prefix + fileName }

    /// The file being downloaded.
    var partialPath: String { prefix + "." + fileName + ".partial" }

    private var prefix: String { directory == "/" ? "/" : directory + "/" }
}

import CLlama
import EngineSupport
import FoundationEssentials
public import InferenceTypes
import Logging
import Synchronization

/// libllama.so, opened once per process and checked to be the llama.cpp this project is pinned to.
public final class LlamaRuntime: Sendable {
    /// The llama.cpp version the declarations in CLlama describe.
    public static let pinnedVersion = LLAMA_PINNED_VERSION

    /// The path the library was opened from.
    public let path: String
    /// What `llama_version()` reports.
    public let version: String
    let api: LlamaAPI

    private static let opened = Mutex<[String: LlamaRuntime]>([:])

    private init(path: String) throws(InferenceError) {
        let library: DynamicLibrary
        do {
            library = try DynamicLibrary(path: path)
        } catch {
            throw .runtimeUnavailable("llama.cpp library: \(error)")
        }
        let versionFunction: llama_version_fn
        do {
            versionFunction = try library.function("llama_version")
        } catch {
            throw .runtimeUnavailable("\(path) is not a llama.cpp library (no llama_version)")
        }
        guard let versionText = versionFunction() else {
            throw .runtimeUnavailable("\(path) does not report its llama.cpp version")
        }
        let version = String(cString: versionText)
        guard version == Self.pinnedVersion else {
            throw .runtimeUnavailable(
                "\(path) is llama.cpp \(version), but this build needs \(Self.pinnedVersion) "
                    + "(the one llama-cpp-python 0.3.36 builds); run `make bootstrap` or pass --llama-lib")
        }
        do {
            api = try LlamaAPI(library)
        } catch {
            throw .runtimeUnavailable("llama.cpp library: \(error)")
        }
        self.path = path
        self.version = version
        api.logSet(llamaLogCallback, nil)
        api.backendInit()
    }

    /// The runtime at `path`, opened on first use and shared afterwards.
    public static func open(path: String) throws(InferenceError) -> LlamaRuntime {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return try opened.withLock { (opened: inout [String: LlamaRuntime]) throws(InferenceError) -> LlamaRuntime in
            if let runtime = opened[resolved] { return runtime }
            let runtime = try LlamaRuntime(path: resolved)
            opened[resolved] = runtime
            return runtime
        }
    }

    /// Where libllama.so is looked for when no path is configured, in order: beside the executable, the
    /// system library folders, and the `.venv` of a source checkout that the executable was built in.
    public static func defaultSearchPaths() -> [String] {
        var paths =
            DynamicLibrary.besideExecutable("libllama.so") + ["/usr/local/lib/libllama.so", "/usr/lib/libllama.so"]
        // A checkout's binary lives in <checkout>/.build/<triple>/<config>/; its venv holds llama-cpp-python.
        var directory = PathNames.directory(DynamicLibrary.executablePath)
        for _ in 0..<4 {
            directory = PathNames.directory(directory)
            let venvLib = "\(directory)/.venv/lib"
            guard let pythons = try? FileManager.default.contentsOfDirectory(atPath: venvLib) else { continue }
            for python in pythons.sorted() where python.hasPrefix("python") {
                paths.append("\(venvLib)/\(python)/site-packages/llama_cpp/lib/libllama.so")
            }
            break
        }
        return paths
    }

    /// Resolves the configured path, or searches the default places.
    public static func locate(configured: String?) throws(InferenceError) -> String {
        if let configured, !configured.isEmpty { return configured }
        guard let found = DynamicLibrary.firstExisting(defaultSearchPaths()) else {
            throw .runtimeUnavailable(
                "libllama.so not found (searched \(defaultSearchPaths().joined(separator: ", "))); "
                    + "pass --llama-lib or set ROCKCHIP_LLAMA_LLAMA_LIB")
        }
        return found
    }
}

/// Where llama.cpp's own log lines go: debug level, and the last error kept to explain a failed load.
let llamaLogger = Logger(label: "llama.cpp")
let lastLlamaError = Mutex<String?>(nil)

private let llamaLogCallback: ggml_log_callback = { level, text, _ in
    guard let text else { return }
    var line = String(cString: text)
    while line.last?.isWhitespace == true { line.removeLast() }
    guard !line.isEmpty else { return }
    // ggml_log_level: 3 = warn, 4 = error.
    // Only the first line is kept for messages: a multi-line error can carry a whole grammar.
    if level == 4 { lastLlamaError.withLock { $0 = String(line.prefix { $0 != "\n" }.prefix(300)) } }
    llamaLogger.debug("\(line)")
}

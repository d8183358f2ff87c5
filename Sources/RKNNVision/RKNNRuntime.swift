import EngineSupport
import FoundationEssentials
public import InferenceTypes
import Synchronization

/// librknnrt.so, opened once per process and path.
public final class RKNNRuntime: Sendable {
    /// The path the library was opened from.
    public let path: String
    let api: RKNNAPI

    private static let opened = Mutex<[String: RKNNRuntime]>([:])

    private init(path: String) throws(InferenceError) {
        let library: DynamicLibrary
        do {
            library = try DynamicLibrary(path: path)
        } catch {
            throw .runtimeUnavailable("RKNN runtime: \(error)")
        }
        do {
            api = try RKNNAPI(library)
        } catch {
            throw .runtimeUnavailable("\(path) is not an RKNN runtime: \(error)")
        }
        self.path = path
    }

    /// The runtime at `path`, opened on first use and shared afterwards.
    public static func open(path: String) throws(InferenceError) -> RKNNRuntime {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return try opened.withLock { (opened: inout [String: RKNNRuntime]) throws(InferenceError) -> RKNNRuntime in
            if let runtime = opened[resolved] { return runtime }
            let runtime = try RKNNRuntime(path: resolved)
            opened[resolved] = runtime
            return runtime
        }
    }

    /// The environment variable that names the library when no path is configured.
    public static let environmentVariable = "ROCKCHIP_LLAMA_RKNN_LIB"

    /// Where librknnrt.so is looked for when no path is given: beside the executable, the folders Rockchip's
    /// install instructions use, then beside the RKLLM runtime (`rkllmLibraryPath`), which boards often
    /// have installed together.
    public static func defaultSearchPaths(besideRKLLM rkllmLibraryPath: String? = nil) -> [String] {
        var paths =
            DynamicLibrary.besideExecutable("librknnrt.so") + [
                "/usr/lib/librknnrt.so", "/usr/local/lib/librknnrt.so", "/usr/lib/aarch64-linux-gnu/librknnrt.so",
            ]
        if let rkllmLibraryPath, !rkllmLibraryPath.isEmpty {
            paths.append("\(PathNames.directory(rkllmLibraryPath))/librknnrt.so")
        }
        return paths
    }

    /// The library to open: `configured` when given, else `ROCKCHIP_LLAMA_RKNN_LIB` from `environment` (`nil`:
    /// the process's), else the first of `searchPaths` that exists.
    /// - Throws: `.runtimeUnavailable` naming every place searched.
    public static func locate(
        configured: String?, environment: [String: String]? = nil, searchPaths: [String] = defaultSearchPaths()
    ) throws(InferenceError) -> String {
        if let configured, !configured.isEmpty { return configured }
        let environment = environment ?? ProcessInfo.processInfo.environment
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        guard let found = DynamicLibrary.firstExisting(searchPaths) else {
            throw .runtimeUnavailable(
                "librknnrt.so (the RKNN runtime, for vision encoders) not found (searched "
                    + "\(searchPaths.joined(separator: ", "))); install Rockchip's RKNN runtime there, or pass "
                    + "--rknn-lib or set \(environmentVariable)")
        }
        return found
    }
}

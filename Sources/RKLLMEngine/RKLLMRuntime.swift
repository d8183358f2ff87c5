import CRKLLM
import EngineSupport
import FoundationEssentials
public import InferenceTypes
import Synchronization

/// librkllmrt.so, opened once per process, with the struct layout it was found to have.
public final class RKLLMRuntime: Sendable {
    /// The path the library was opened from.
    public let path: String
    /// The layout the engine calls it through.
    public let abi: RKLLMABI
    let api: RKLLMAPI

    private static let opened = Mutex<[String: RKLLMRuntime]>([:])

    private init(path: String, requestedABI: RKLLMABI?) throws(InferenceError) {
        let library: DynamicLibrary
        do {
            library = try DynamicLibrary(path: path)
        } catch {
            throw .runtimeUnavailable("RKLLM runtime: \(error)")
        }
        let api: RKLLMAPI
        do {
            api = try RKLLMAPI(library)
        } catch {
            throw .runtimeUnavailable("\(path) is not an RKLLM runtime: \(error)")
        }
        let detected = RKLLMABI.detect(defaultParam: api.createDefaultParam().bytes)
        switch (detected, requestedABI) {
        case (let detected?, nil):
            abi = detected
        case (nil, let requested?):
            abi = requested
        case (let detected?, let requested?) where detected == requested:
            abi = detected
        case (let detected?, let requested?):
            throw .runtimeUnavailable(
                "\(path) has the RKLLM \(detected.rawValue) layout, but --rkllm-abi \(requested.rawValue) was "
                    + "given; refusing to call it through the wrong layout")
        case (nil, nil):
            throw .runtimeUnavailable(
                "cannot tell the RKLLM runtime version of \(path): only the 1.2.1-1.2.3 and 1.3.x layouts are "
                    + "supported; if this is one of them, pass --rkllm-abi 1.2 or 1.3")
        }
        self.path = path
        self.api = api
    }

    /// The runtime at `path`, opened on first use and shared afterwards.
    /// - Parameter abi: the layout to use; `nil` detects it.
    public static func open(path: String, abi: RKLLMABI? = nil) throws(InferenceError) -> RKLLMRuntime {
        let resolved = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        return try opened.withLock { (opened: inout [String: RKLLMRuntime]) throws(InferenceError) -> RKLLMRuntime in
            if let runtime = opened[resolved] {
                if let abi, abi != runtime.abi {
                    throw .runtimeUnavailable(
                        "\(path) is already in use with the RKLLM \(runtime.abi.rawValue) layout")
                }
                return runtime
            }
            let runtime = try RKLLMRuntime(path: resolved, requestedABI: abi)
            opened[resolved] = runtime
            return runtime
        }
    }

    /// Where librkllmrt.so is looked for when no path is configured: beside the executable, then the
    /// folders Rockchip's install instructions use.
    public static func defaultSearchPaths() -> [String] {
        DynamicLibrary.besideExecutable("librkllmrt.so") + [
            "/usr/lib/librkllmrt.so", "/usr/local/lib/librkllmrt.so", "/usr/lib/aarch64-linux-gnu/librkllmrt.so",
        ]
    }

    /// Resolves the configured path, or searches the default places.
    public static func locate(configured: String?) throws(InferenceError) -> String {
        if let configured, !configured.isEmpty { return configured }
        guard let found = DynamicLibrary.firstExisting(defaultSearchPaths()) else {
            throw .runtimeUnavailable(
                "librkllmrt.so not found (searched \(defaultSearchPaths().joined(separator: ", "))); install "
                    + "Rockchip's RKLLM runtime there, or pass --rkllm-lib or set ROCKCHIP_LLAMA_RKLLM_LIB")
        }
        return found
    }
}

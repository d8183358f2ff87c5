import FoundationEssentials
import Glibc
import InferenceTypes

/// A shared library opened with `dlopen`, from which function pointers are looked up by name.
///
/// Runtimes are never linked: the server starts without them, and a missing one is a clear error.
public final class DynamicLibrary: Sendable {
    /// Why a library could not be used.
    public enum LoadError: Error, Sendable, Equatable, CustomStringConvertible {
        /// `dlopen` failed; the text is `dlerror()`'s.
        case openFailed(path: String, reason: String)
        /// A required symbol is not exported.
        case missingSymbol(path: String, symbol: String)

        /// A message naming the library and the cause.
        public var description: String {
            switch self {
            case .openFailed(let path, let reason): "cannot open \(path): \(reason)"
            case .missingSymbol(let path, let symbol): "\(path) does not export \(symbol)"
            }
        }
    }

    /// The path the library was opened from.
    public let path: String
    // The handle is written once in init and only read afterwards; dlsym is thread-safe.
    nonisolated(unsafe) private let handle: UnsafeMutableRawPointer

    /// Opens a library. The library stays loaded for the life of the process: runtimes keep global
    /// state that does not survive being unloaded.
    public init(path: String) throws(LoadError) {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            throw .openFailed(path: path, reason: reason)
        }
        self.path = path
        self.handle = handle
    }

    /// Looks up a function and casts it to its C function type.
    public func function<Function>(_ name: String, as type: Function.Type = Function.self) throws(LoadError)
        -> Function
    {
        guard let symbol = dlsym(handle, name) else { throw .missingSymbol(path: path, symbol: name) }
        return unsafeBitCast(symbol, to: Function.self)
    }

    /// Whether the library exports a symbol.
    public func hasSymbol(_ name: String) -> Bool {
        dlsym(handle, name) != nil
    }

    /// The path of the running executable, symbolic links resolved.
    public static var executablePath: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// Where a library shipped with the executable would be: beside it, in `lib/` beside it, and in `../lib`.
    public static func besideExecutable(_ fileName: String) -> [String] {
        let binDir = PathNames.directory(executablePath)
        return ["\(binDir)/\(fileName)", "\(binDir)/lib/\(fileName)", "\(binDir)/../lib/\(fileName)"]
    }

    /// The first existing file among `candidates`, in order, after expanding `~`.
    public static func firstExisting(_ candidates: [String]) -> String? {
        candidates.map(PathNames.expandingTilde).first { FileManager.default.fileExists(atPath: $0) }
    }
}

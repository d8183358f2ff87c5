import EngineSupport
import FoundationEssentials
import InferenceTypes

/// A LoRA adapter of an `.rkllm` model: a file of its own that `rkllm_load_lora` loads beside the model, under
/// the name a request picks it by.
///
/// A model's adapters are the sidecar's `lora` list and the files beside the model named
/// `<model stem>.lora.<name>.rkllm`, or any `.rkllm` file in the directory `<model stem>.lora/` (the name is then
/// the file's stem). The sidecar's entry wins when both give the same name.
struct RKLLMLoraAdapter: Sendable, Equatable {
    /// The name requests use (`lora`, `options.lora`).
    var name: String
    /// The adapter file.
    var path: String
    /// How strongly the adapter applies (`RKLLMLoraAdapter.scale`, 1 by default).
    var scale: Float

    /// Letters, digits, `.`, `_` and `-`, 1 to 64 of them.
    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { byte in
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            }
    }

    /// The adapters of the model at `path`, sidecar first, then the files found by name, each name once.
    ///
    /// Throws `.modelLoadFailed` naming the sidecar for an entry with a bad name, a repeated name, or a file that
    /// is missing or not a regular readable file. Files found by name whose name is not valid are left out.
    static func all(forModelAt path: String, sidecar: RKLLMSidecar?) throws(InferenceError) -> [RKLLMLoraAdapter] {
        var adapters = try listed(in: sidecar, forModelAt: path)
        for adapter in found(besideModelAt: path) where !adapters.contains(where: { $0.name == adapter.name }) {
            adapters.append(adapter)
        }
        return adapters
    }

    /// The sidecar's `lora` entries, checked.
    private static func listed(in sidecar: RKLLMSidecar?, forModelAt path: String) throws(InferenceError)
        -> [RKLLMLoraAdapter]
    {
        var adapters: [RKLLMLoraAdapter] = []
        let directory = PathNames.directory(path)
        for entry in sidecar?.lora ?? [] {
            guard isValidName(entry.name) else {
                throw ModelSidecar.failure(
                    forModelAt: path,
                    "LoRA adapter name \"\(entry.name)\" is not valid: use 1 to 64 letters, digits, '.', '_' or '-'")
            }
            guard !adapters.contains(where: { $0.name == entry.name }) else {
                throw ModelSidecar.failure(forModelAt: path, "LoRA adapter \"\(entry.name)\" is listed twice")
            }
            let file = entry.file.hasPrefix("/") ? entry.file : directory + "/" + entry.file
            do {
                try ModelFile.checkReadable(file)
            } catch {
                throw ModelSidecar.failure(
                    forModelAt: path, "LoRA adapter \"\(entry.name)\": \(entry.file): \(error)")
            }
            adapters.append(RKLLMLoraAdapter(name: entry.name, path: file, scale: Float(entry.scale ?? 1)))
        }
        return adapters
    }

    /// The adapter files named after the model, sorted by name.
    private static func found(besideModelAt path: String) -> [RKLLMLoraAdapter] {
        let directory = PathNames.directory(path)
        let stem = PathNames.stem(path)
        let files = FileManager.default
        var adapters: [RKLLMLoraAdapter] = []
        let prefix = stem + ".lora."
        for name in ((try? files.contentsOfDirectory(atPath: directory)) ?? []).sorted()
        where name.hasPrefix(prefix) && name.hasSuffix(".rkllm") && name.count > prefix.count + ".rkllm".count {
            let adapter = String(name.dropFirst(prefix.count).dropLast(".rkllm".count))
            adapters.append(RKLLMLoraAdapter(name: adapter, path: directory + "/" + name, scale: 1))
        }
        let folder = directory + "/" + stem + ".lora"
        for name in ((try? files.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        where name.hasSuffix(".rkllm") && !name.hasPrefix(".") {
            adapters.append(RKLLMLoraAdapter(name: PathNames.stem(name), path: folder + "/" + name, scale: 1))
        }
        return adapters.filter { adapter in
            isValidName(adapter.name) && (try? ModelFile.status(of: adapter.path)) != nil
        }
    }
}

import Crypto
import EngineSupport
import FoundationEssentials
import Glibc
import InferenceTypes

/// The prompt-cache files of one model's prompt prefixes: a directory of files the runtime wrote with
/// `save_prompt_cache`, one per prefix, named by a hash of the prefix and the runtime, and bounded in bytes with
/// the least recently used file removed first. A file's modification time is its last use, so the order
/// survives a restart.
///
/// Used only on the engine's model thread.
final class RKLLMPromptCacheFiles {
    /// One saved prefix.
    struct Entry: Equatable {
        /// The hash that names it.
        var key: String
        /// The prompt tokens its prefill holds.
        var tokens: Int
        /// The size of its file.
        var bytes: UInt64
        /// The path of its file.
        var path: String
    }

    let directory: String
    let capacityBytes: UInt64
    private var entries: [String: Entry] = [:]
    /// Keys from least to most recently used.
    private var order: [String] = []

    /// Opens (creating it when needed) the directory and reads what is in it; files that are not cache files
    /// are left alone, half-written ones (`.partial`) removed.
    init(directory: String, capacityBytes: UInt64) throws(InferenceError) {
        self.directory = directory
        self.capacityBytes = capacityBytes
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .engineFailure("cannot create the prompt-cache directory \(directory): \(error)")
        }
        var found: [(entry: Entry, used: Date)] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            let path = directory + "/" + name
            if name.hasSuffix(".partial") {
                unlink(path)
                continue
            }
            guard let (key, tokens) = Self.parse(name), let status = try? ModelFile.status(of: path) else { continue }
            found.append((Entry(key: key, tokens: tokens, bytes: UInt64(status.size), path: path), status.modifiedAt))
        }
        for (entry, _) in found.sorted(by: { $0.used < $1.used }) {
            entries[entry.key] = entry
            order.append(entry.key)
        }
        evict(keeping: nil)
    }

    /// The key of a prefix: what the runtime evaluated, and which runtime and model file evaluated it.
    static func key(prefix: String, identity: String) -> String {
        let digest = SHA256.hash(data: Array((identity + "\u{0}" + prefix).utf8))
        return digest.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The saved prefix of `key`, marked as just used; `nil` when there is none (or its file went away).
    func lookup(_ key: String) -> Entry? {
        guard let entry = entries[key] else { return nil }
        guard utimensat(AT_FDCWD, entry.path, nil, 0) == 0 else {
            forget(key)
            return nil
        }
        touch(key)
        return entry
    }

    /// The saved prefix of `key`, without marking it used.
    func entry(_ key: String) -> Entry? {
        entries[key]
    }

    /// Where the runtime writes a new prefix's file before `add` names it.
    func partialPath(for key: String) -> String {
        directory + "/" + key + ".partial"
    }

    /// Takes the file the runtime wrote at `partialPath(for: key)` as the prefix `key` of `tokens` tokens, then
    /// removes the least recently used files beyond the capacity (never this one). Returns the entry, `nil` when
    /// the runtime wrote no file or it is larger than the whole capacity.
    @discardableResult
    func add(_ key: String, tokens: Int) -> Entry? {
        let partial = partialPath(for: key)
        guard let status = try? ModelFile.status(of: partial), status.size > 0, UInt64(status.size) <= capacityBytes
        else {
            unlink(partial)
            return nil
        }
        if let old = entries[key] {
            unlink(old.path)
            forget(key)
        }
        let path = directory + "/" + key + "-" + String(tokens) + ".cache"
        guard rename(partial, path) == 0 else {
            unlink(partial)
            return nil
        }
        let entry = Entry(key: key, tokens: tokens, bytes: UInt64(status.size), path: path)
        entries[key] = entry
        order.append(key)
        evict(keeping: key)
        return entry
    }

    /// The bytes the files take now.
    var totalBytes: UInt64 { entries.values.reduce(0) { $0 + $1.bytes } }

    /// The keys held, least recently used first.
    var keys: [String] { order }

    private func evict(keeping kept: String?) {
        var total = totalBytes
        var index = 0
        while total > capacityBytes, index < order.count {
            let key = order[index]
            guard key != kept, let entry = entries[key] else {
                index += 1
                continue
            }
            unlink(entry.path)
            total -= entry.bytes
            forget(key)
        }
    }

    private func touch(_ key: String) {
        order.removeAll { $0 == key }
        order.append(key)
    }

    private func forget(_ key: String) {
        entries[key] = nil
        order.removeAll { $0 == key }
    }

    /// `<32 hex digits>-<tokens>.cache`.
    private static func parse(_ name: String) -> (String, Int)? {
        guard name.hasSuffix(".cache") else { return nil }
        let stem = name.dropLast(".cache".count)
        let parts = stem.split(separator: "-")
        guard parts.count == 2, parts[0].count == 32, parts[0].allSatisfy(\.isHexDigit),
            let tokens = Int(parts[1]), tokens >= 0
        else { return nil }
        return (String(parts[0]), tokens)
    }
}

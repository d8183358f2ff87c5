import Conversation
import EngineSupport
import FoundationEssentials
import InferenceTypes
import ModelStore
import SchemaGrammar

/// What the kernel says about memory (`/proc/meminfo`).
public enum MemoryInfo {
    /// Bytes available for new allocations without swapping (`MemAvailable`); `nil` when unknown.
    public static func availableBytes() -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "/proc/meminfo") else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kilobytes = UInt64(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    /// The default budget for loaded models: 80% of what is available now, or 4 GiB when that is unknown.
    public static func defaultBudget() -> UInt64 {
        guard let available = availableBytes() else { return 4 << 30 }
        return available / 5 * 4
    }
}

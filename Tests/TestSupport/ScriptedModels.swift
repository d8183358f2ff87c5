import Foundation

/// Model directories for scripted engines: files the registry lists, which no real engine could load.
public enum ScriptedModels {
    /// A fresh directory with one `NAME.gguf` per name (a GGUF header and nothing else).
    public static func directory(_ names: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("scripted-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for name in names {
            try Data(GGUFBuilder(keyCount: 0).bytes).write(to: URL(fileURLWithPath: "\(path)/\(name).gguf"))
        }
        return path
    }
}

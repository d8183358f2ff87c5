import EngineSupport
import Foundation
import InferenceCore
public import InferenceTypes
import ModelStore

/// The real llama.cpp library and SmolLM2 model the tests run on, as `scripts/bootstrap.sh` installed them.
///
/// `make test` exports their paths (`ROCKCHIP_LLAMA_LLAMA_LIB`, `ROCKCHIP_LLAMA_TEST_MODEL`); a bare
/// `swift test` after `make bootstrap` finds them through `.venv/rockchip-llama.env`.
public enum TestModel {
    /// The friendly name the model is served under.
    public static let name = "smollm2-135m-instruct"

    /// The path of libllama.so.
    public static var libraryPath: String { value(of: "ROCKCHIP_LLAMA_LLAMA_LIB") }

    /// The path of the GGUF file.
    public static var modelPath: String { value(of: "ROCKCHIP_LLAMA_TEST_MODEL") }

    /// The `rockchip-llama` binary built beside the test bundle, which runner processes start from.
    public static var serverExecutable: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("rockchip-llama").path
    }

    /// A fresh models directory holding a link to the test model, removed by the caller when done.
    public static func makeModelsDirectory() throws -> String {
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw InferenceError.invalidRequest("the test model is missing: \(modelPath)")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rockchip-llama-tests-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: "\(directory)/\((modelPath as NSString).lastPathComponent)", withDestinationPath: modelPath)
        return directory
    }

    /// The descriptor of the test model in `directory`.
    public static func descriptor(in directory: String) throws -> ModelDescriptor {
        guard let model = ModelRegistry(directory: directory).resolve(name) else {
            throw InferenceError.modelNotFound(name)
        }
        return model
    }

    private static func value(of key: String) -> String {
        if let value = ProcessInfo.processInfo.environment[key], !value.isEmpty { return value }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let envFile = root.appendingPathComponent(".venv/rockchip-llama.env").path
        if let text = try? String(contentsOfFile: envFile, encoding: .utf8) {
            for line in text.split(separator: "\n") where line.hasPrefix("\(key)=") {
                return String(line.dropFirst(key.count + 1))
            }
        }
        return "/missing/\(key): run `make bootstrap` (or `make test`) first"
    }
}

import Foundation
import InferenceCore
import InferenceTypes

/// The RKLLM simulator (`make sim`) and the model files it accepts.
///
/// The simulator reads its settings from the environment when a model is initialised, so tests that
/// change them run serialized.
public enum Simulator {
    /// The runtime layouts the simulator is built in.
    public static let layouts = ["1.2", "1.3"]

    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The path of the simulator library of one layout.
    public static func libraryPath(_ layout: String) -> String {
        "\(root)/.build/rkllm-sim/\(layout)/librkllmrt.so"
    }

    /// The file every simulator event of this test process is appended to.
    public static let eventLog: String = {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rkllm-sim-\(getpid()).log").path
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        setenv("RKLLM_SIM_EVENT_LOG", path, 1)
        // Fast enough for tests, slow enough that a generation can be stopped midway.
        setenv("RKLLM_SIM_PREFILL_US_PER_TOKEN", "50", 1)
        setenv("RKLLM_SIM_DECODE_US_PER_TOKEN", "3000", 1)
        return path
    }()

    /// Sets the simulator up for this process; call before loading a model.
    public static func prepare() {
        _ = eventLog
        unsetenv("RKLLM_SIM_PLATFORM")
        unsetenv("RKLLM_SIM_NO_DRIVER")
        unsetenv("RKLLM_SIM_DESTROY_HANG_MS")
    }

    /// The number of event lines so far, to read only what comes after.
    public static func eventCount() -> Int {
        events().count
    }

    /// The event lines, oldest first, after the first `from`.
    public static func events(from start: Int = 0) -> [String] {
        let text = (try? String(contentsOfFile: eventLog, encoding: .utf8)) ?? ""
        return Array(text.split(separator: "\n").map(String.init).dropFirst(start))
    }

    /// Writes a model file the simulator accepts and returns its path.
    @discardableResult
    public static func writeModel(
        in directory: String, fileName: String = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm",
        platform: String = "rk3588", contextLimit: Int? = nil, sidecar: String? = nil
    ) throws -> String {
        let contextLimit = contextLimit ?? RKLLMFileName(fileName).contextLength
        let path = "\(directory)/\(fileName)"
        let header =
            #"RKLLMSIM1{"target_platform":"\#(platform)","max_context_limit":\#(contextLimit),"model_dtype":"w8a8"}"#
        try Data(header.utf8).write(to: URL(fileURLWithPath: path))
        if let sidecar { try Data(sidecar.utf8).write(to: URL(fileURLWithPath: path + ".json")) }
        return path
    }

    /// The RKNN simulator library (`make sim`), a librknnrt.so look-alike for vision encoders.
    public static var rknnLibraryPath: String {
        "\(root)/.build/rknn-sim/librknnrt.so"
    }

    /// The file name of the simulated vision encoder beside the simulated Qwen2-VL model.
    public static let visionEncoderFileName = "Qwen2-VL-2B-Instruct-vision-rk3588.rknn"

    /// Writes a vision encoder file the RKNN simulator accepts (as scripts/make-sim-vision-model.sh does) and
    /// returns its path. `tokens` must be a square.
    @discardableResult
    public static func writeVisionEncoder(
        in directory: String, fileName: String = visionEncoderFileName, width: Int = 392, height: Int = 392,
        tokens: Int = 196, embeddingSize: Int = 1536, platform: String = "rk3588"
    ) throws -> String {
        let path = "\(directory)/\(fileName)"
        let header =
            #"RKNNSIM1{"width":\#(width),"height":\#(height),"tokens":\#(tokens),"embedding_size":\#(embeddingSize),"#
            + #""target_platform":"\#(platform)"}"#
        try Data(header.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A fresh empty directory.
    public static func makeDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rkllm-sim-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

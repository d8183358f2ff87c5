import ArgumentParser
import Configuration
import Glibc
import InferenceCore
import Logging
import ModelDownload
import Server

/// `rockchip-llama pull`: downloads a model file into the models directory, resuming an interrupted download.
struct Pull: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Download a model file (.gguf or .rkllm) into the models directory.",
        discussion: """
            REFERENCE is an http:// or https:// URL of a .gguf or .rkllm file (optionally ending in \
            #sha256=<64 hex digits>), hf.co/<owner>/<repo>/<file>, huggingface.co/<owner>/<repo>/<file>, or \
            <owner>/<repo>:<file>. Hugging Face references use ROCKCHIP_LLAMA_HF_ENDPOINT or HF_ENDPOINT when \
            set, and send HF_TOKEN for gated repositories. An interrupted pull resumes where it stopped.
            """)

    @Argument(help: "The model file to download.")
    var reference: String

    @Option(
        help: """
            Directory of model files. [env: ROCKCHIP_LLAMA_MODELS_DIR] (default: ~/.rockchip-llama/models)
            """)
    var modelsDir: String?

    func run() async throws {
        let directory = PathNames.expandingTilde(try modelsDirectory())
        let logger = Logger(label: "rockchip-llama") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let display = PullProgressDisplay(interactive: isatty(STDOUT_FILENO) == 1)
        do {
            let name = try await ModelDownloader(logger: logger).pull(reference, into: directory) { progress in
                await display.show(progress)
            }
            await display.end()
            PullProgressDisplay.write((directory.hasSuffix("/") ? directory : directory + "/") + name + "\n")
        } catch {
            await display.end()
            throw error
        }
    }

    /// The flag, else `ROCKCHIP_LLAMA_MODELS_DIR`, else `modelsDir` of the config file `ROCKCHIP_LLAMA_CONFIG`
    /// names, else the default: where `serve` looks.
    private func modelsDirectory() throws -> String {
        if let modelsDir { return modelsDir }
        let environment = EnvironmentVariablesProvider().prefixKeys(with: ["rockchip", "llama"])
        var providers: [any ConfigProvider] = [environment]
        if let path = ConfigReader(provider: environment).string(forKey: "config") {
            do {
                providers.append(try JSONConfigFile.provider(path: path))
            } catch {
                throw ValidationError("cannot read the config file \(path): \(error)")
            }
        }
        return ConfigReader(providers: providers).string(
            forKey: "modelsDir", default: ServerConfiguration.defaultModelsDirectory)
    }
}

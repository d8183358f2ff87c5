import ArgumentParser
import Configuration
import Glibc
import InferenceCore
import InferenceTypes
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
            set, and send HF_TOKEN for gated repositories. An interrupted pull resumes where it stopped. \
            Redirects are followed only to Hugging Face, the reference's own host and --allow-pull-from; \
            loopback, private and link-local addresses only when listed there.
            """)

    @Argument(help: "The model file to download.")
    var reference: String

    @Option(
        help: """
            Directory of model files. [env: ROCKCHIP_LLAMA_MODELS_DIR] (default: ~/.rockchip-llama/models)
            """)
    var modelsDir: String?

    @OptionGroup var pull: PullOptions

    func run() async throws {
        let configuration = try configuration()
        let directory = PathNames.expandingTilde(configuration.modelsDirectory)
        let policy = try configuration.pullPolicy()
        let logger = Logger(label: "rockchip-llama") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
        let display = PullProgressDisplay(interactive: isatty(STDOUT_FILENO) == 1)
        do {
            let name = try await ModelDownloader(policy: policy, logger: logger).pull(reference, into: directory) {
                progress in
                await display.show(progress)
            }
            await display.end()
            PullProgressDisplay.write((directory.hasSuffix("/") ? directory : directory + "/") + name + "\n")
        } catch {
            await display.end()
            throw error
        }
    }

    /// The configuration `serve` would read (flags, then `ROCKCHIP_LLAMA_*` variables, then the config file
    /// `ROCKCHIP_LLAMA_CONFIG` names): where models go and what a pull may do.
    private func configuration() throws -> ServerConfiguration {
        var flags = pull.flagValues
        if let modelsDir { flags["modelsDir"] = .init(.string(modelsDir), isSecret: false) }
        let environment = EnvironmentVariablesProvider().prefixKeys(with: ["rockchip", "llama"])
        var providers: [any ConfigProvider] = [InMemoryProvider(name: "flags", values: flags), environment]
        if let path = ConfigReader(provider: environment).string(forKey: "config") {
            do {
                providers.append(try JSONConfigFile.provider(path: path))
            } catch {
                throw ValidationError("cannot read the config file \(path): \(error)")
            }
        }
        do {
            return try ServerConfiguration(reader: ConfigReader(providers: providers))
        } catch {
            throw ValidationError(error.description)
        }
    }
}

import AnthropicAPI
public import Hummingbird
import InferenceCore
import InferenceTypes
import LlamaEngine
public import Logging
import ModelDownload
import ModelStore
import NIOCore
import OllamaAPI
import OpenAIAPI
import RKLLMEngine

/// The version of this server, sent in `system_fingerprint` and the `Server` header.
public enum RockchipLlamaVersion {
    /// The release number.
    public static let current = "0.1.0"
}

/// Builds the whole server: core, engines, routes and services. `serve` and the tests both call it.
public func buildApplication(configuration: ServerConfiguration, logger: Logger) throws
    -> some ApplicationProtocol
{
    let memoryBudget =
        configuration.memoryBudgetBytes == 0 ? MemoryInfo.defaultBudget() : configuration.memoryBudgetBytes
    let engines = try EngineSetup(
        configuration: configuration, logLevel: logger.logLevel, memoryBudgetBytes: memoryBudget)
    let registry = ModelRegistry(directory: configuration.modelsDirectory, logger: logger)
    let manager = ModelManager(
        loaders: engines.managed, defaultKeepAlive: configuration.keepAlive, maxQueueDepth: configuration.maxQueue,
        limits: ModelManager.Limits(maxLoadedModels: configuration.maxLoadedModels, memoryBudgetBytes: memoryBudget),
        logger: logger)
    let puller = DownloadPuller(downloader: ModelDownloader(policy: try configuration.pullPolicy(), logger: logger))
    let imageFetcher: ImageFetcher? =
        configuration.allowImageURLs ? { @Sendable url in try await ImageURLFetcher().fetch(url) } : nil
    let service = InferenceService(
        registry: registry, manager: manager, puller: puller, timeLimits: configuration.timeLimits,
        imageFetcher: imageFetcher)
    let readiness = Readiness(ready: configuration.startupModel == nil)
    let router = buildRouter(configuration: configuration, service: service, readiness: readiness)

    let models = registry.models()
    let app = Application(
        router: router,
        server: .rockchipLlama(limits: configuration.connectionLimits, logger: logger),
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "rockchip-llama/\(RockchipLlamaVersion.current)"),
        services: [
            ModelLifecycleService(
                service: service, startupModel: configuration.startupModel, readiness: readiness, logger: logger,
                runtimeReport: { runtimeReport(llama: engines.llama, rkllm: engines.rkllm) })
        ],
        onServerRunning: { channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? 0)" } ?? "?"
            let names = models.map(\.id).joined(separator: ", ")
            logger.info(
                """
                rockchip-llama \(RockchipLlamaVersion.current) listening on http://\(address), serving \
                \(models.count) model(s) from \(registry.directory): \(names)
                """)
            if let warning = configuration.access.exposureWarning(
                address: channel.localAddress?.ipAddress ?? configuration.host, port: channel.localAddress?.port ?? 0)
            {
                logger.warning("\(warning)")
            }
        },
        logger: logger
    )
    return app
}

/// The routes of the server behind its middleware: request log, browser protection, CORS, API keys, error
/// mapping and the body limit, in that order; then a 405 for every other method of a known path.
func buildRouter(configuration: ServerConfiguration, service: any InferenceServing, readiness: Readiness)
    -> Router<AppRequestContext>
{
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.addMiddleware {
        RequestLogMiddleware()
        BrowserProtectionMiddleware(
            access: configuration.access, listenHost: configuration.host, hostname: MachineName.current)
        CrossOriginMiddleware(access: configuration.access)
        APIKeyMiddleware(keys: configuration.access.apiKeys)
        ErrorMappingMiddleware()
        BodyLimitMiddleware(maxBodyBytes: configuration.maxBodyBytes)
    }
    HealthController(readiness: readiness).addRoutes(to: router)
    OllamaController<AppRequestContext>(service: service, maxBodyBytes: configuration.maxBodyBytes)
        .addRoutes(to: router)
    PromptToolsController<AppRequestContext>(service: service, maxBodyBytes: configuration.maxBodyBytes)
        .addRoutes(to: router)
    let v1 = router.group("v1")
    ManagementController<AppRequestContext>(service: service, maxBodyBytes: configuration.maxBodyBytes)
        .addRoutes(to: v1)
    let openAI = OpenAIController<AppRequestContext>(
        service: service, maxBodyBytes: configuration.maxBodyBytes,
        systemFingerprint: "rockchip-llama-\(RockchipLlamaVersion.current)",
        reasoningField: configuration.reasoningField
    )
    openAI.addRoutes(to: v1)
    // llama-server serves rerank at the root too (`/rerank`, `/reranking`), and clients call it there.
    openAI.addRerankRoutes(to: router)
    ResponsesController<AppRequestContext>(service: service, maxBodyBytes: configuration.maxBodyBytes)
        .addRoutes(to: v1)
    AnthropicController<AppRequestContext>(service: service, maxBodyBytes: configuration.maxBodyBytes)
        .addRoutes(to: v1)
    router.addMethodNotAllowedRoutes()
    return router
}

/// One line per runtime: where it was found and which version or layout, or why it cannot be used.
private func runtimeReport(llama: LlamaEngineLoader, rkllm: RKLLMEngineLoader) -> [String] {
    var lines: [String] = []
    do {
        let path = try llama.locateRuntime()
        lines.append("llama.cpp runtime: \(path) (opened on first use); .gguf models run on the CPU")
    } catch {
        lines.append("llama.cpp runtime unavailable, .gguf models will not load: \(error)")
    }
    do {
        let runtime = try rkllm.checkRuntime()
        lines.append("RKLLM runtime: \(runtime.path) (layout \(runtime.abi.rawValue)); .rkllm models run on the NPU")
        lines.append(contentsOf: NPUDriverProbe().report().map(\.text))
    } catch {
        lines.append("RKLLM runtime unavailable, .rkllm models will not load: \(error)")
    }
    return lines
}

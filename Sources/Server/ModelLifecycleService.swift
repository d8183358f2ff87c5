public import InferenceCore
import InferenceTypes
public import Logging
public import ServiceLifecycle

/// Loads the start-up model (if any) when the server starts, and unloads every model when it stops.
public struct ModelLifecycleService: Service {
    let service: any InferenceServing
    let startupModel: String?
    let readiness: Readiness
    let logger: Logger
    let runtimeReport: @Sendable () -> [String]

    /// Creates the service.
    /// - Parameter runtimeReport: lines describing the runtimes found, logged at start-up.
    public init(
        service: any InferenceServing, startupModel: String?, readiness: Readiness, logger: Logger,
        runtimeReport: @escaping @Sendable () -> [String] = { [] }
    ) {
        self.service = service
        self.startupModel = startupModel
        self.readiness = readiness
        self.logger = logger
        self.runtimeReport = runtimeReport
    }

    public func run() async throws {
        for line in runtimeReport() { logger.info("\(line)") }
        if let startupModel {
            do {
                try await service.load(startupModel)
            } catch {
                logger.critical("cannot load the start-up model '\(startupModel)': \(error)")
                throw error
            }
        }
        readiness.markReady()
        try? await gracefulShutdown()
        await service.unloadAll()
    }
}

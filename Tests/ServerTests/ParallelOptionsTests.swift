import Configuration
import Foundation
import InferenceTypes
import Runner
import TestSupport
import Testing

@testable import Server

/// `--parallel` and `--cache-ram`: read from flags, the environment and the config file, and the slots
/// `--parallel 0` chooses for a model.
@Suite struct ParallelOptionsTests {
    @Test func theDefaultsAreAutoSlotsAnd512MiB() throws {
        let configuration = try ServerConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: [:])))
        #expect(configuration.parallel == 0)
        #expect(configuration.cacheRAMMiB == 512)
        let options = EngineSetup.engineOptions(configuration)
        #expect(options.parallel == 0 && options.cacheRAMMiB == 512, "they travel to runners with the load")
    }

    @Test func flagValuesAreRead() throws {
        // The keys `serve`'s flags are stored under.
        let reader = ConfigReader(
            provider: InMemoryProvider(values: [
                "parallel": .init(.int(2), isSecret: false), "cacheRam": .init(.int(0), isSecret: false),
            ]))
        let configuration = try ServerConfiguration(reader: reader)
        #expect(configuration.parallel == 2)
        #expect(configuration.cacheRAMMiB == 0)
    }

    @Test func environmentVariablesAreRead() throws {
        // Made as `serve` makes its environment provider.
        let environment = EnvironmentVariablesProvider(environmentVariables: [
            "ROCKCHIP_LLAMA_PARALLEL": "3", "ROCKCHIP_LLAMA_CACHE_RAM": "128",
        ]).prefixKeys(with: ["rockchip", "llama"])
        let configuration = try ServerConfiguration(reader: ConfigReader(provider: environment))
        #expect(configuration.parallel == 3)
        #expect(configuration.cacheRAMMiB == 128)
        let options = EngineSetup.engineOptions(configuration)
        #expect(options.parallel == 3 && options.cacheRAMMiB == 128)
    }

    @Test func negativeValuesMeanAutoAndOff() {
        let configuration = ServerConfiguration(parallel: -1, cacheRAMMiB: -5)
        #expect(configuration.parallel == 0)
        #expect(configuration.cacheRAMMiB == 0)
    }

    /// A `.gguf` header with the attention shape of a SmolLM2-135M: 30 layers, 3 KV heads of 64, so one slot
    /// of 1024 tokens holds 1024 × 30 × 3 × 128 × 2 bytes (22.5 MiB) of KV cache.
    static func model(attention: Bool = true) throws -> ModelDescriptor {
        var builder = GGUFBuilder(keyCount: attention ? 6 : 1)
        builder.stringEntry("general.architecture", "llama")
        if attention {
            builder.uint32Entry("llama.context_length", 8192)
            builder.uint32Entry("llama.block_count", 30)
            builder.uint32Entry("llama.embedding_length", 576)
            builder.uint32Entry("llama.attention.head_count", 9)
            builder.uint32Entry("llama.attention.head_count_kv", 3)
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parallel-\(UUID()).gguf").path
        try builder.write(to: path)
        return ModelDescriptor(
            id: "smol", path: path, format: .gguf, sizeBytes: Int64(builder.bytes.count), modifiedAt: Date())
    }

    @Test func autoGivesAGGUFModelFourSlotsOrAsManyAsFitTheBudget() throws {
        let model = try Self.model()
        defer { try? FileManager.default.removeItem(atPath: model.path) }
        let slot = UInt64(1024 * 30 * 3 * 128 * 2)
        #expect(ParallelChoice.kvCacheBytes(ofModelAt: model.path, contextLength: 1024) == slot)
        func slots(_ budget: UInt64, parallel: Int = 0) -> Int {
            ParallelChoice.slots(for: model, parallel: parallel, contextLength: 1024, memoryBudgetBytes: budget)
        }
        #expect(slots(1 << 30) == 4)
        #expect(slots(3 * slot) == 2)
        #expect(slots(slot + 4096) == 1)
        #expect(slots(1024) == 1, "one slot even when nothing fits: the manager decides what loads")
        #expect(slots(1024, parallel: 3) == 3, "a number given is kept")
    }

    @Test func autoGivesFourWhenTheHeaderDoesNotSayAndLeavesRKLLMToItsSidecar() throws {
        let model = try Self.model(attention: false)
        defer { try? FileManager.default.removeItem(atPath: model.path) }
        #expect(ParallelChoice.slots(for: model, parallel: 0, contextLength: 1024, memoryBudgetBytes: 1024) == 4)
        var rkllm = model
        rkllm.format = .rkllm
        #expect(ParallelChoice.slots(for: rkllm, parallel: 0, contextLength: 1024, memoryBudgetBytes: 1 << 30) == 0)
        #expect(ParallelChoice.slots(for: rkllm, parallel: 2, contextLength: 1024, memoryBudgetBytes: 1 << 30) == 2)
    }
}

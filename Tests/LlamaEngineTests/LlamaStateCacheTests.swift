import CLlama
import Foundation
import InferenceTypes
import TestSupport
import Testing

@testable import LlamaEngine

/// The host-memory cache of sequence states and the named prompt-cache files, on the real libllama.so and SmolLM2.
@Suite(.serialized) struct LlamaStateCacheTests {
    private static let system =
        "You are a helpful assistant who answers questions about the weather in a friendly and concise way."

    private static func makeContext() throws -> LlamaContext {
        let runtime = try LlamaRuntime.open(path: TestModel.libraryPath)
        let model = try LlamaModel(runtime: runtime, path: TestModel.modelPath, modelName: "states")
        return try LlamaContext(
            model: model, contextLength: 512, batchSize: 512, microBatchSize: 128, threads: 2, modelName: "states",
            sequences: 2)
    }

    private static func tokens(_ text: String, in context: LlamaContext) throws -> [llama_token] {
        try context.model.tokenize(text, addSpecial: false, parseSpecial: false)
    }

    private static func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString).bin").path
    }

    /// The greedy answer to `prompt` evaluated from scratch in sequence 0, which is emptied afterwards.
    private static func freshAnswer(_ prompt: [llama_token], decoder: SequenceDecoder, count: Int = 4) throws
        -> [llama_token]
    {
        decoder.clear(0)
        defer { decoder.clear(0) }
        let first = try decoder.decode(prompt, into: 0, from: 0)
        return try decoder.continueGreedily(0, length: prompt.count, from: first, count: count)
    }

    /// The greedy answer of `sequence`, which holds the first `held` tokens of `prompt`.
    private static func answer(
        continuing sequence: llama_seq_id, holding held: Int, of prompt: [llama_token], decoder: SequenceDecoder,
        count: Int = 4
    ) throws -> [llama_token] {
        let first = try decoder.decode(Array(prompt[held...]), into: sequence, from: held)
        return try decoder.continueGreedily(sequence, length: prompt.count, from: first, count: count)
    }

    @Test("a state kept from one sequence and restored into another answers as the original does")
    func restoresIntoAnotherSequence() throws {
        let context = try Self.makeContext()
        let decoder = SequenceDecoder(context: context)
        let prompt = try Self.tokens(Self.system + " What is rain?", in: context)
        let expected = try Self.freshAnswer(prompt, decoder: decoder)
        try decoder.decode(prompt, into: 0, from: 0)
        let cache = LlamaStateCache(api: context.model.api, capacityBytes: 64 << 20)
        cache.keep(prompt, of: 0, in: context)
        #expect(cache.keptTokens == [prompt])

        let restored = cache.restore(prefixOf: prompt, longerThan: 0, into: 1, in: context)
        // All but the last token, whose logits choose the first new token.
        #expect(restored == Array(prompt.dropLast()))
        #expect(try Self.answer(continuing: 1, holding: restored.count, of: prompt, decoder: decoder) == expected)

        // Without the state, the last token alone answers otherwise: the answer above came from the restored state.
        decoder.clear(1)
        let unprimed = try Self.answer(continuing: 1, holding: restored.count, of: prompt, decoder: decoder)
        #expect(unprimed != expected)
    }

    @Test("a prompt that shares only part of a kept state gets that part, and the rest is trimmed away")
    func partialPrefixIsTrimmed() throws {
        let context = try Self.makeContext()
        let decoder = SequenceDecoder(context: context)
        let first = try Self.tokens(Self.system + " Will it snow in Oslo tomorrow morning?", in: context)
        let second = try Self.tokens(Self.system + " Why is the sky blue?", in: context)
        let common = zip(first, second).prefix { $0 == $1 }.count
        #expect(common > 10 && common < first.count - 3)
        let expected = try Self.freshAnswer(second, decoder: decoder)

        try decoder.decode(first, into: 0, from: 0)
        let cache = LlamaStateCache(api: context.model.api, capacityBytes: 64 << 20)
        cache.keep(first, of: 0, in: context)
        decoder.clear(0)

        #expect(cache.restore(prefixOf: second, longerThan: common, into: 1, in: context).isEmpty)
        let restored = cache.restore(prefixOf: second, longerThan: 4, into: 1, in: context)
        #expect(restored == Array(second.prefix(common)))
        // The kept state's other tokens are gone from the sequence: the answer is the fresh one.
        #expect(try Self.answer(continuing: 1, holding: restored.count, of: second, decoder: decoder) == expected)
    }

    @Test("states are kept within the capacity in bytes, the least recently used out first")
    func evictsTheLeastRecentlyUsed() throws {
        let context = try Self.makeContext()
        let decoder = SequenceDecoder(context: context)
        let prompts = try ["Cats sleep most of the day and", "Dogs like to run in the park", "Birds sing early"]
            .map { Array(try Self.tokens($0, in: context).prefix(6)) }
        #expect(Set(prompts.map(\.first)).count == 3)
        try decoder.decode(prompts[0], into: 0, from: 0)
        let size = context.model.api.stateSeqGetSize(context.handle, 0)
        let cache = LlamaStateCache(api: context.model.api, capacityBytes: size * 5 / 2)

        func keep(_ index: Int) throws {
            decoder.clear(0)
            try decoder.decode(prompts[index], into: 0, from: 0)
            cache.keep(prompts[index], of: 0, in: context)
        }
        try keep(0)
        try keep(1)
        #expect(cache.keptTokens == [prompts[0], prompts[1]])
        // Using the first makes the second the least recently used.
        #expect(cache.restore(prefixOf: prompts[0] + [42], longerThan: 0, into: 1, in: context) == prompts[0])
        try keep(2)
        #expect(cache.keptTokens == [prompts[0], prompts[2]])
        #expect(cache.keptBytes <= size * 5 / 2)
        #expect(cache.restore(prefixOf: prompts[1] + [42], longerThan: 0, into: 1, in: context).isEmpty)
    }

    @Test("a longer state of the same conversation replaces its prefix, and a prefix of a kept one is not kept again")
    func keepsNoDuplicates() throws {
        let context = try Self.makeContext()
        let decoder = SequenceDecoder(context: context)
        let long = try Self.tokens(Self.system + " What is fog?", in: context)
        let short = Array(long.prefix(10))
        let cache = LlamaStateCache(api: context.model.api, capacityBytes: 64 << 20)
        try decoder.decode(short, into: 0, from: 0)
        cache.keep(short, of: 0, in: context)
        try decoder.decode(Array(long[10...]), into: 0, from: 10)
        cache.keep(long, of: 0, in: context)
        #expect(cache.keptTokens == [long])
        let bytes = cache.keptBytes
        decoder.clear(0)
        try decoder.decode(short, into: 0, from: 0)
        cache.keep(short, of: 0, in: context)
        #expect(cache.keptTokens == [long])
        #expect(cache.keptBytes == bytes)
    }

    @Test("a state larger than the whole capacity is not kept")
    func aTooLargeStateIsNotKept() throws {
        let context = try Self.makeContext()
        let decoder = SequenceDecoder(context: context)
        let prompt = try Self.tokens(Self.system, in: context)
        try decoder.decode(prompt, into: 0, from: 0)
        let size = context.model.api.stateSeqGetSize(context.handle, 0)
        let cache = LlamaStateCache(api: context.model.api, capacityBytes: size - 1)
        cache.keep(prompt, of: 0, in: context)
        #expect(cache.keptTokens.isEmpty)
        #expect(cache.keptBytes == 0)
        #expect(cache.restore(prefixOf: prompt, longerThan: 0, into: 1, in: context).isEmpty)
    }

    @Test("a sequence saved to a file and loaded into a new context answers as the original does")
    func fileRoundTrip() throws {
        let path = Self.temporaryPath("state")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let prompt = try Self.tokens(Self.system + " What is hail?", in: Self.makeContext())
        let expected: [llama_token]
        do {
            let context = try Self.makeContext()
            let decoder = SequenceDecoder(context: context)
            expected = try Self.freshAnswer(prompt, decoder: decoder)
            try decoder.decode(prompt, into: 1, from: 0)
            let cache = LlamaStateCache(api: context.model.api, capacityBytes: 0)
            let size = try cache.save(1, holding: prompt, in: context, to: path)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            #expect((attributes[.size] as? NSNumber)?.uint64Value == size)
            #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
        }
        let context = try Self.makeContext()
        let decoder = SequenceDecoder(context: context)
        let cache = LlamaStateCache(api: context.model.api, capacityBytes: 0)
        let loaded = try cache.load(path, into: 0, in: context)
        #expect(loaded == prompt)
        // Evaluate the last token again for its logits, as a caller starting from the file does.
        _ = context.model.api.memorySeqRm(context.model.api.getMemory(context.handle), 0, Int32(prompt.count - 1), -1)
        #expect(try Self.answer(continuing: 0, holding: prompt.count - 1, of: prompt, decoder: decoder) == expected)
    }

    @Test("a garbage, truncated or missing file is a clear error, and the sequence stays usable")
    func badFilesAreRefused() throws {
        let context = try Self.makeContext()
        let decoder = SequenceDecoder(context: context)
        let cache = LlamaStateCache(api: context.model.api, capacityBytes: 0)
        let prompt = try Self.tokens(Self.system + " What is a cloud?", in: context)
        let expected = try Self.freshAnswer(prompt, decoder: decoder)
        try decoder.decode(prompt, into: 1, from: 0)
        let good = Self.temporaryPath("good")
        _ = try cache.save(1, holding: prompt, in: context, to: good)
        decoder.clear(1)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: good))
        try? FileManager.default.removeItem(atPath: good)

        var generator = SystemRandomNumberGenerator()
        let garbage = Data((0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        var wrongMagicRightLength = bytes
        wrongMagicRightLength[0] ^= 0xFF
        var tooManyTokens = bytes
        withUnsafeBytes(of: UInt32(context.size + 1).littleEndian) { tooManyTokens.replaceSubrange(8..<12, with: $0) }
        let cases: [(String, Data)] = [
            ("garbage", garbage), ("truncated", bytes.prefix(bytes.count / 2)),
            ("header-only", bytes.prefix(12 + 4 * prompt.count)), ("wrong-magic", wrongMagicRightLength),
            ("empty", Data()), ("too-many-tokens", tooManyTokens), ("trailing-bytes", bytes + Data([1, 2, 3, 4])),
        ]
        for (name, contents) in cases {
            let path = Self.temporaryPath(name)
            defer { try? FileManager.default.removeItem(atPath: path) }
            try contents.write(to: URL(fileURLWithPath: path))
            #expect(throws: InferenceError.self) { try cache.load(path, into: 1, in: context) }
            do {
                _ = try cache.load(path, into: 1, in: context)
            } catch {
                #expect("\(error)".contains("does not fit this model"), "\(name): \(error)")
                #expect(!"\(error)".contains(FileManager.default.temporaryDirectory.path), "\(name): \(error)")
            }
            #expect(try Self.answer(continuing: 1, holding: 0, of: prompt, decoder: decoder) == expected, "\(name)")
            decoder.clear(1)
        }
        let missing = Self.temporaryPath("missing")
        #expect(throws: InferenceError.self) { try cache.load(missing, into: 1, in: context) }
    }
}

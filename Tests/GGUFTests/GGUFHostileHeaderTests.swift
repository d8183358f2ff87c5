import EngineSupport
import Foundation
import GGUF
import InferenceTypes
import TestSupport
import Testing

/// GGUF headers built to hurt the reader: each is a clear `ModelFileError`, never a crash, a hang or a
/// large allocation, whether read from memory or from a file.
@Suite struct GGUFHostileHeaderTests {
    private static let tooBig: UInt64 = 1 << 60

    /// The error reading `bytes` throws, from memory and from a file (the two must agree).
    private func error(reading bytes: [UInt8], limits: GGUFMetadata.Limits = .init()) throws -> ModelFileError? {
        var fromMemory: ModelFileError?
        do {
            _ = try GGUFMetadata(bytes: bytes, limits: limits)
        } catch {
            fromMemory = error
        }
        let directory = try HostileFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/x.gguf"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var fromFile: ModelFileError?
        do {
            _ = try GGUFMetadata(path: path, limits: limits)
        } catch {
            fromFile = error
        }
        #expect(fromMemory == fromFile)
        return fromMemory
    }

    @Test func anArrayNested200000DeepIsRefusedAtTheLimit() throws {
        var builder = GGUFBuilder(keyCount: 1)
        builder.nestedArrays("evil", depth: 200_000)
        #expect(builder.bytes.count > 2_400_000)
        let error = try error(reading: builder.bytes)
        #expect(error == .nestedTooDeep(limit: 64))
        #expect(error?.description == "GGUF header array nested deeper than 64 levels")
    }

    @Test func arraysNestedUpToTheLimitAreSkipped() throws {
        var builder = GGUFBuilder(keyCount: 2)
        builder.nestedArrays("deep", depth: 64)
        builder.stringEntry("general.architecture", "llama")
        #expect(try GGUFMetadata(bytes: builder.bytes).architecture == "llama")
        var deeper = GGUFBuilder(keyCount: 1)
        deeper.nestedArrays("deeper", depth: 65)
        #expect(try error(reading: deeper.bytes) == .nestedTooDeep(limit: 64))
    }

    @Test(arguments: [GGUFBuilder.ValueType.uint8, .string, .array])
    func anArrayClaiming2To60ElementsIsRefusedAtOnce(elementType: GGUFBuilder.ValueType) throws {
        var builder = GGUFBuilder(keyCount: 1)
        builder.key("tokenizer.ggml.tokens", .array)
        builder.uint32(elementType.rawValue)
        builder.uint64(Self.tooBig)
        let error = try #require(try error(reading: builder.bytes))
        guard case .claimExceedsFile(let claim, let remaining) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(claim == "an array of \(Self.tooBig) elements" && remaining == 0)
    }

    @Test func aStringClaiming2To60BytesIsRefusedAtOnce() throws {
        var builder = GGUFBuilder(keyCount: 1)
        builder.key("general.name", .string)
        builder.uint64(Self.tooBig)
        builder.string("a little")
        #expect(
            try error(reading: builder.bytes)
                == .claimExceedsFile(claim: "a string of \(Self.tooBig) bytes", remainingBytes: 16))
    }

    @Test func keysAndKeyCountsClaimingTooMuchAreRefused() throws {
        var longKey = GGUFBuilder(keyCount: 1)
        longKey.uint64(Self.tooBig)
        longKey.uint64(0)
        #expect(try error(reading: longKey.bytes) == .keyTooLong(bytes: Self.tooBig, limit: 65535))
        let manyKeys = GGUFBuilder(keyCount: Self.tooBig)
        #expect(
            try error(reading: manyKeys.bytes)
                == .claimExceedsFile(claim: "\(Self.tooBig) keys", remainingBytes: 0))
    }

    @Test func a100MBChatTemplateClaimInASmallFileIsRefused() throws {
        var builder = GGUFBuilder(keyCount: 1)
        builder.key("tokenizer.chat_template", .string)
        builder.uint64(100_000_000)
        builder.string(String(repeating: "{{ x }}", count: 100))
        let error = try #require(try error(reading: builder.bytes))
        #expect(error.description.hasPrefix("the GGUF header claims a string of 100000000 bytes, but only"))
    }

    @Test func aChatTemplateOverTheLimitIsAnErrorAndOtherLongStringsAreSkipped() throws {
        let limits = GGUFMetadata.Limits(maxStringBytes: 1024)
        var builder = GGUFBuilder(keyCount: 2)
        builder.stringEntry("tokenizer.huggingface.json", String(repeating: "x", count: 2048))
        builder.stringEntry("general.architecture", "llama")
        let metadata = try GGUFMetadata(bytes: builder.bytes, limits: limits)
        #expect(metadata.architecture == "llama" && metadata.string("tokenizer.huggingface.json") == nil)

        var template = GGUFBuilder(keyCount: 1)
        template.stringEntry("tokenizer.chat_template", String(repeating: "x", count: 2048))
        #expect(
            try error(reading: template.bytes, limits: limits)
                == .valueTooLarge(key: "tokenizer.chat_template", bytes: 2048, limit: 1024))
    }

    @Test func theMetadataKeptIsCapped() throws {
        var builder = GGUFBuilder(keyCount: 100)
        for index in 0..<100 { builder.stringEntry("key.\(index)", String(repeating: "v", count: 100)) }
        #expect(
            try error(reading: builder.bytes, limits: .init(maxMetadataBytes: 4096)) == .metadataTooLarge(limit: 4096))
        #expect(try GGUFMetadata(bytes: builder.bytes).values.count == 100)
    }

    @Test func aHeaderReachingPastTheLimitStopsThere() throws {
        var builder = GGUFBuilder(keyCount: 2)
        builder.key("tokenizer.ggml.tokens", .array)
        builder.uint32(GGUFBuilder.ValueType.string.rawValue)
        builder.uint64(1000)
        for index in 0..<1000 { builder.string("token\(index)") }
        builder.stringEntry("general.architecture", "llama")
        #expect(try error(reading: builder.bytes, limits: .init(maxHeaderBytes: 4096)) == .headerTooLarge(limit: 4096))
        #expect(try GGUFMetadata(bytes: builder.bytes).architecture == "llama")
    }

    @Test func everyCutOfAValidHeaderIsACleanError() throws {
        let bytes = GGUFBuilder.valid().bytes
        #expect(try GGUFMetadata(bytes: bytes).contextLength == 2048)
        for length in 0..<bytes.count {
            #expect(throws: ModelFileError.self, "cut at \(length)") {
                try GGUFMetadata(bytes: Array(bytes[..<length]))
            }
        }
        #expect(
            try error(reading: Array(bytes.dropLast()))
                == .claimExceedsFile(claim: "a string of 14 bytes", remainingBytes: 13))
        var number = GGUFBuilder(keyCount: 1)
        number.uint32Entry("x", 7)
        #expect(try error(reading: Array(number.bytes.dropLast())) == .truncated)
        #expect(try error(reading: Array("GGU".utf8)) == .notGGUF)
    }

    @Test func unknownTypesAndOldVersionsAreNamed() throws {
        var builder = GGUFBuilder(keyCount: 1)
        builder.uint32Entry("x", 0)
        var unknown = builder.bytes
        unknown[unknown.count - 8] = 99
        #expect(try error(reading: unknown) == .unknownGGUFType(99))
        #expect(try error(reading: GGUFBuilder(keyCount: 0, version: 1).bytes) == .unsupportedGGUFVersion(1))
    }

    @Test func signedBytesAreReadAsSigned() throws {
        var builder = GGUFBuilder(keyCount: 1)
        builder.key("x.int8", .int8)
        builder.bytes.append(0xFF)
        #expect(try GGUFMetadata(bytes: builder.bytes).integer("x.int8") == -1)
    }

    @Test func theRealModelReadsTheSameFromMemoryAsFromItsFile() throws {
        let fromFile = try GGUFMetadata(path: TestModel.modelPath)
        let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: TestModel.modelPath))
        defer { try? handle.close() }
        let prefix = try #require(try handle.read(upToCount: 16 << 20))
        #expect(try GGUFMetadata(bytes: Array(prefix)) == fromFile)
    }

    @Test func aFIFOOrADirectoryIsNeverOpenedAsAGGUFFile() async throws {
        let directory = try HostileFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try HostileFiles.makeFIFO(at: directory + "/x.gguf")
        try FileManager.default.createDirectory(atPath: directory + "/y.gguf", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: directory + "/link.gguf", withDestinationPath: "x.gguf")
        let result = await HostileFiles.finishes(within: 1, releasing: [directory + "/x.gguf"]) {
            ["x.gguf", "y.gguf", "link.gguf", "absent.gguf"].map { name -> ModelFileError? in
                do throws(ModelFileError) {
                    _ = try GGUFMetadata(path: "\(directory)/\(name)")
                    return nil
                } catch {
                    return error
                }
            }
        }
        #expect(result.inTime)
        #expect(
            result.value == [
                .notRegularFile(kind: "a FIFO"), .notRegularFile(kind: "a directory"), .notRegularFile(kind: "a FIFO"),
                .missing,
            ])
    }
}

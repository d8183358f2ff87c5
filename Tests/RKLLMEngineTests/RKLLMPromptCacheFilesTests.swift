import Foundation
import Testing

@testable import RKLLMEngine

/// The prompt-cache folder: named by hash, bounded in bytes, least recently used out first, across restarts.
@Suite struct RKLLMPromptCacheFilesTests {
    private func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rkllm-cache-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Stands in for the runtime writing a prefix's file.
    private func write(_ files: RKLLMPromptCacheFiles, _ key: String, bytes: Int) {
        _ = FileManager.default.createFile(
            atPath: files.partialPath(for: key), contents: Data(repeating: 7, count: bytes))
    }

    private func key(_ text: String) -> String {
        RKLLMPromptCacheFiles.key(prefix: text, identity: "RKLLM 1.3 model.rkllm 1")
    }

    @Test func theKeyDependsOnThePrefixAndTheRuntime() {
        #expect(key("a") == key("a"))
        #expect(key("a") != key("b"))
        #expect(
            RKLLMPromptCacheFiles.key(prefix: "a", identity: "RKLLM 1.2 model.rkllm 1")
                != RKLLMPromptCacheFiles.key(prefix: "a", identity: "RKLLM 1.3 model.rkllm 1"))
        #expect(key("a").count == 32)
    }

    @Test func theLeastRecentlyUsedFileGoesFirstWhenTheFolderIsFull() throws {
        let path = try directory()
        let files = try RKLLMPromptCacheFiles(directory: path, capacityBytes: 2500)
        for name in ["one", "two"] {
            write(files, key(name), bytes: 1000)
            #expect(files.add(key(name), tokens: 10) != nil)
        }
        #expect(files.lookup(key("one")) != nil)  // "two" is now the least recently used
        write(files, key("three"), bytes: 1000)
        files.add(key("three"), tokens: 10)
        #expect(files.lookup(key("two")) == nil)
        #expect(files.lookup(key("one")) != nil)
        #expect(files.totalBytes <= 2500)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).count == 2)
    }

    @Test func aFileLargerThanTheWholeCapacityIsNotKept() throws {
        let path = try directory()
        let files = try RKLLMPromptCacheFiles(directory: path, capacityBytes: 100)
        write(files, key("big"), bytes: 1000)
        #expect(files.add(key("big"), tokens: 10) == nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path).isEmpty)
    }

    @Test func aRestartFindsTheFilesAndTheirTokensAndDropsHalfWrittenOnes() throws {
        let path = try directory()
        let files = try RKLLMPromptCacheFiles(directory: path, capacityBytes: 10_000)
        write(files, key("kept"), bytes: 100)
        files.add(key("kept"), tokens: 42)
        write(files, key("half"), bytes: 100)
        _ = FileManager.default.createFile(atPath: path + "/notes.txt", contents: Data("mine".utf8))

        let reopened = try RKLLMPromptCacheFiles(directory: path, capacityBytes: 10_000)
        #expect(reopened.lookup(key("kept"))?.tokens == 42)
        #expect(reopened.lookup(key("half")) == nil)
        #expect(!FileManager.default.fileExists(atPath: reopened.partialPath(for: key("half"))))
        #expect(FileManager.default.fileExists(atPath: path + "/notes.txt"))
    }
}

import EngineSupport
import Foundation
import InferenceTypes
import Logging
import ModelStore
import Synchronization
import TestSupport
import Testing

/// A models directory holding things that are not models: the listing stays quick and whole, and each bad
/// entry is a clear error by name and one warning in the log.
@Suite struct ModelRegistryHostileFilesTests {
    /// A directory with one good model and one of each kind of bad entry.
    private func hostileDirectory() throws -> String {
        let directory = try HostileFiles.makeDirectory()
        try GGUFBuilder.valid().write(to: directory + "/good.gguf")
        var deep = GGUFBuilder(keyCount: 1)
        deep.nestedArrays("evil", depth: 200_000)
        try deep.write(to: directory + "/deep.gguf")
        try HostileFiles.makeFIFO(at: directory + "/x.gguf")
        try FileManager.default.createDirectory(atPath: directory + "/y.gguf", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: directory + "/z.gguf", withDestinationPath: "missing.gguf")
        return directory
    }

    private func loadError(_ registry: ModelRegistry, _ name: String) -> String? {
        do {
            _ = try registry.find(name)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func badEntriesDoNotStopTheListingAndEachNamesItsProblem() async throws {
        let directory = try hostileDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let registry = ModelRegistry(directory: directory)
        let listing = await HostileFiles.finishes(within: 1, releasing: [directory + "/x.gguf"]) {
            registry.models()
        }
        #expect(listing.inTime)
        #expect(listing.value.map(\.fileName) == ["deep.gguf", "good.gguf"])
        #expect(try registry.find("good").fileName == "good.gguf")

        // The deep one is listed (so that a client can see and delete it) but says why it will not load.
        let deep = try registry.find("deep")
        #expect(ModelDetails.of(deep).problem == .nestedTooDeep(limit: 64))
        #expect(ModelDetails.of(try registry.find("good")).problem == nil)

        #expect(loadError(registry, "x") == "failed to load model 'x': x.gguf: not a regular file (it is a FIFO)")
        #expect(loadError(registry, "y.gguf")?.hasSuffix("y.gguf: not a regular file (it is a directory)") == true)
        #expect(loadError(registry, "Z")?.hasSuffix("z.gguf: a symbolic link to a file that does not exist") == true)
        #expect(loadError(registry, "nope") == "model 'nope' not found")
    }

    @Test func eachBadEntryIsLoggedOnceNotOnEveryListing() throws {
        let directory = try hostileDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let records = RecordedLog()
        let registry = ModelRegistry(directory: directory, logger: Logger(label: "test") { _ in records })
        for _ in 0..<3 { _ = registry.models() }
        let warnings = records.messages
        #expect(warnings.count == 4, "\(warnings)")
        for name in ["deep.gguf", "x.gguf", "y.gguf", "z.gguf"] {
            #expect(warnings.filter { $0.hasPrefix(name) }.count == 1, "\(name) in \(warnings)")
        }
        #expect(!warnings.contains { $0.contains(directory) })
    }

    @Test func aSidecarThatIsAFIFOOrHugeIsALoadErrorNamingTheFile() async throws {
        let directory = try HostileFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try GGUFBuilder.valid().write(to: directory + "/a.gguf")
        try HostileFiles.makeFIFO(at: directory + "/a.gguf.json")
        try GGUFBuilder.valid().write(to: directory + "/b.gguf")
        try HostileFiles.makeSparseFile(at: directory + "/b.gguf.json", size: 100 << 20)
        let messages = await HostileFiles.finishes(within: 1, releasing: [directory + "/a.gguf.json"]) {
            ["a.gguf", "b.gguf"].map { name -> String in
                do throws(InferenceError) {
                    _ = try ModelSidecar.chatTemplate(forModelAt: "\(directory)/\(name)")
                    return "no error"
                } catch {
                    return error.description
                }
            }
        }
        #expect(messages.inTime)
        #expect(messages.value[0] == "failed to load model 'a.gguf': a.gguf.json: not a regular file (it is a FIFO)")
        #expect(
            messages.value[1] == "failed to load model 'b.gguf': b.gguf.json: 100 MiB is larger than the 4 MiB allowed")
    }

    @Test func copyingOntoADanglingLinkIsAPlainRequestError() throws {
        let directory = try HostileFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try GGUFBuilder.valid().write(to: directory + "/a.gguf")
        try FileManager.default.createSymbolicLink(atPath: directory + "/taken.gguf", withDestinationPath: "gone.gguf")
        let registry = ModelRegistry(directory: directory)
        let model = try registry.find("a")
        #expect(
            throws: InferenceError.invalidRequest(
                "taken.gguf already exists in the models directory as a symbolic link to a missing file; remove it or "
                    + "choose another name")
        ) { try registry.copy(model, to: "taken") }
        try FileManager.default.createSymbolicLink(atPath: directory + "/b.gguf.json", withDestinationPath: "gone")
        try Data("{}".utf8).write(to: URL(fileURLWithPath: directory + "/a.gguf.json"))
        #expect(throws: InferenceError.self) { try registry.copy(model, to: "b") }
        #expect(!FileManager.default.fileExists(atPath: directory + "/b.gguf"))
        #expect(try registry.copy(model, to: "c").fileName == "c.gguf")
        #expect(FileManager.default.fileExists(atPath: directory + "/c.gguf.json"))
    }

    @Test func deletingALinkedModelRemovesTheLinkNotItsTarget() throws {
        let directory = try HostileFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let target = try HostileFiles.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: target) }
        try GGUFBuilder.valid().write(to: target + "/real.gguf")
        try FileManager.default.createSymbolicLink(
            atPath: directory + "/a.gguf", withDestinationPath: target + "/real.gguf")
        let registry = ModelRegistry(directory: directory)
        let copy = try registry.copy(try registry.find("a"), to: "copy")
        try registry.delete(copy)
        try registry.delete(try registry.find("a"))
        #expect(registry.models().isEmpty)
        #expect(FileManager.default.fileExists(atPath: target + "/real.gguf"))
        #expect(throws: InferenceError.modelNotFound("copy")) { try registry.delete(copy) }
    }
}

/// Keeps the messages of warnings logged through it.
private final class RecordedLog: LogHandler, Sendable {
    private let recorded = Mutex<[String]>([])
    var messages: [String] { recorded.withLock { $0 } }

    var metadata: Logger.Metadata {
        get { [:] }
        set {}
    }
    var logLevel: Logger.Level {
        get { .trace }
        set {}
    }
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { nil }
        set {}
    }

    func log(event: LogEvent) {
        guard event.level == .warning else { return }
        recorded.withLock { $0.append("\(event.message)") }
    }
}

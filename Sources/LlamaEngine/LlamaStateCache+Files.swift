import CLlama
import EngineSupport
import FoundationEssentials
import Glibc
import InferenceTypes

/// Named prompt caches: a sequence's tokens and state in a file.
///
/// The file is this server's own: a header (magic `rlsq`, version, token count: little-endian `UInt32`s), the
/// tokens, then the state exactly as `llama_state_seq_get_data` gives it. Reading goes through
/// `llama_state_seq_set_data`, which checks every length against the buffer; `llama_state_seq_load_file`
/// aborts the whole process (`GGML_ASSERT`) on some truncated files, so it is not used.
extension LlamaStateCache {
    private static let fileMagic: UInt32 = 0x7173_6C72  // "rlsq"
    private static let fileVersion: UInt32 = 1

    /// Writes the file next to `path` first and renames it into place, so that a reader never sees half of one.
    func save(
        _ sequence: llama_seq_id, holding tokens: [llama_token], in context: LlamaContext, to path: String
    ) throws(InferenceError) -> UInt64 {
        let failure = InferenceError.engineFailure("could not write the prompt cache file \(Self.name(of: path))")
        let size = api.stateSeqGetSize(context.handle, sequence)
        guard size > 0, !tokens.isEmpty, tokens.count <= Int(UInt32.max) else { throw failure }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(12 + 4 * tokens.count + size)
        for word in [Self.fileMagic, Self.fileVersion, UInt32(tokens.count)] + tokens.map(UInt32.init(bitPattern:)) {
            withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
        }
        let stateStart = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: size))
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            // llama.cpp writes at most `size` bytes from `stateStart` on, which is where `buffer` ends.
            api.stateSeqGetData(context.handle, buffer.baseAddress! + stateStart, size, sequence)
        }
        guard written == size else { throw failure }
        let partial = path + ".partial"
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: partial))
        } catch {
            unlink(partial)
            throw .engineFailure("could not write the prompt cache file \(Self.name(of: path)): \(error)")
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw .engineFailure("could not write the prompt cache file \(Self.name(of: path)): \(reason)")
        }
        return UInt64(bytes.count)
    }

    /// A file that does not hold a state of this model and context (another model, another layout, damaged,
    /// truncated) leaves the sequence empty.
    func load(_ path: String, into sequence: llama_seq_id, in context: LlamaContext) throws(InferenceError)
        -> [llama_token]
    {
        let name = Self.name(of: path)
        let doesNotFit = InferenceError.invalidRequest("the prompt cache file \(name) does not fit this model")
        let capacity = context.size
        let stateLimit = max(2 * Int(clamping: context.model.kvCacheBytes(contextLength: capacity)), 64 << 20)
        let contents: [UInt8]?
        do {
            contents = try ModelFile.contents(of: path, limit: 12 + 4 * capacity + stateLimit)
        } catch .tooLarge {
            throw doesNotFit
        } catch {
            throw .invalidRequest("the prompt cache file \(name) cannot be read: \(error)")
        }
        guard let bytes = contents else { throw .invalidRequest("the prompt cache file \(name) does not exist") }
        let memory = api.getMemory(context.handle)
        _ = api.memorySeqRm(memory, sequence, -1, -1)
        guard let (tokens, stateStart) = Self.header(of: bytes, capacity: capacity, vocabulary: context.model),
            stateStart < bytes.count
        else { throw doesNotFit }
        let read = bytes.withUnsafeBufferPointer { bytes in
            // llama.cpp reads at most `bytes.count - stateStart` bytes from `stateStart` on, inside `bytes`.
            api.stateSeqSetData(context.handle, bytes.baseAddress! + stateStart, bytes.count - stateStart, sequence)
        }
        guard read == bytes.count - stateStart else {
            _ = api.memorySeqRm(memory, sequence, -1, -1)
            throw doesNotFit
        }
        return tokens
    }

    /// The tokens of a prompt-cache file and where its state starts, when the header is this server's and holds
    /// 1 to `capacity` tokens of the model's vocabulary.
    private static func header(of bytes: [UInt8], capacity: Int, vocabulary model: LlamaModel) -> (
        tokens: [llama_token], stateStart: Int
    )? {
        func word(at offset: Int) -> UInt32? {
            guard offset + 4 <= bytes.count else { return nil }
            return bytes.withUnsafeBytes {
                UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            }
        }
        guard word(at: 0) == fileMagic, word(at: 4) == fileVersion,
            let count = word(at: 8).map(Int.init), count > 0, count <= capacity
        else { return nil }
        var tokens: [llama_token] = []
        tokens.reserveCapacity(count)
        for index in 0..<count {
            guard let token = word(at: 12 + 4 * index).map({ llama_token(bitPattern: $0) }),
                token >= 0, token < model.vocabularySize
            else { return nil }
            tokens.append(token)
        }
        return (tokens, 12 + 4 * count)
    }

    /// The file's name without its folders, which are the server's business.
    private static func name(of path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }
}

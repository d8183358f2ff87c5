import CLlama
import EngineSupport
import Glibc
import InferenceTypes

/// Named prompt caches: a sequence's state and tokens in a file (`llama_state_seq_save_file`/`load_file`).
extension LlamaStateCache {
    /// Writes the file next to `path` first and renames it into place, so that a reader never sees half of one.
    func save(
        _ sequence: llama_seq_id, holding tokens: [llama_token], in context: LlamaContext, to path: String
    ) throws(InferenceError) -> UInt64 {
        let partial = path + ".partial"
        let written = tokens.withUnsafeBufferPointer { tokens in
            // llama.cpp reads `tokens.count` tokens from the buffer.
            api.stateSeqSaveFile(context.handle, partial, sequence, tokens.baseAddress, tokens.count)
        }
        guard written > 0 else {
            unlink(partial)
            throw .engineFailure("could not write the prompt cache file \(Self.name(of: path))")
        }
        guard rename(partial, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(partial)
            throw .engineFailure("could not write the prompt cache file \(Self.name(of: path)): \(reason)")
        }
        return UInt64(written)
    }

    /// A file that llama.cpp refuses (another model, another context layout, damaged) leaves the sequence empty.
    func load(_ path: String, into sequence: llama_seq_id, in context: LlamaContext) throws(InferenceError)
        -> [llama_token]
    {
        do {
            try ModelFile.checkReadable(path)
        } catch {
            throw .invalidRequest("the prompt cache file \(Self.name(of: path)) cannot be read: \(error)")
        }
        let memory = api.getMemory(context.handle)
        _ = api.memorySeqRm(memory, sequence, -1, -1)
        let capacity = context.size
        var count = 0
        let tokens = [llama_token](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            // llama.cpp writes at most `capacity` tokens into the buffer, which holds `capacity`, and reports
            // how many in `count`.
            let read = api.stateSeqLoadFile(context.handle, path, sequence, buffer.baseAddress, capacity, &count)
            initialized = read > 0 ? min(count, capacity) : 0
        }
        guard !tokens.isEmpty else {
            _ = api.memorySeqRm(memory, sequence, -1, -1)
            throw .invalidRequest("the prompt cache file \(Self.name(of: path)) does not fit this model")
        }
        return tokens
    }

    /// The file's name without its folders, which are the server's business.
    private static func name(of path: String) -> String {
        String(path.split(separator: "/").last ?? Substring(path))
    }
}

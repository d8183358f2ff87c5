import CLlama
import EngineSupport
import Glibc
import InferenceTypes
import Synchronization

/// Owns one `llama_model` handle: loads it, answers questions about it, frees it once.
///
/// Used only on the engine's model thread (tokenizing and metadata reads are thread-safe in llama.cpp,
/// but the engine keeps every call on one thread anyway).
final class LlamaModel {
    let api: LlamaAPI
    let handle: OpaquePointer
    let vocab: OpaquePointer

    /// Loads a GGUF file; the runtime's own error line explains a failure.
    init(runtime: LlamaRuntime, path: String, modelName: String) throws(InferenceError) {
        let api = runtime.api
        self.api = api
        var params = api.modelDefaultParams()
        params.n_gpu_layers = 0
        lastLlamaError.withLock { $0 = nil }
        guard let model = path.withCString({ api.modelLoadFromFile($0, params) }) else {
            let reason = lastLlamaError.withLock { $0 } ?? "llama.cpp could not load the file"
            throw .modelLoadFailed(model: modelName, reason: reason)
        }
        guard let vocab = api.modelGetVocab(model) else {
            api.modelFree(model)
            throw .modelLoadFailed(model: modelName, reason: "the model has no vocabulary")
        }
        handle = model
        self.vocab = vocab
    }

    deinit {
        api.modelFree(handle)
    }

    /// A metadata value of the GGUF header, as text.
    func metadata(_ key: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        var length = api.modelMetaValStr(handle, key, &buffer, buffer.count)
        if length >= buffer.count {
            buffer = [CChar](repeating: 0, count: Int(length) + 1)
            length = api.modelMetaValStr(handle, key, &buffer, buffer.count)
        }
        guard length >= 0 else { return nil }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    var trainedContextLength: Int { Int(api.modelNCtxTrain(handle)) }
    var embeddingLength: Int { Int(api.modelNEmbd(handle)) }
    var weightsBytes: UInt64 { api.modelSize(handle) }
    var parameterCount: UInt64 { api.modelNParams(handle) }
    var vocabularySize: Int32 { api.vocabNTokens(vocab) }

    /// The bytes of an f16 KV cache of `contextLength` tokens, from the GGUF header's attention shape.
    func kvCacheBytes(contextLength: Int) -> UInt64 {
        guard let architecture = metadata("general.architecture"),
            let layers = metadata("\(architecture).block_count").flatMap(Int.init),
            let heads = metadata("\(architecture).attention.head_count").flatMap(Int.init), heads > 0
        else { return 0 }
        let kvHeads = metadata("\(architecture).attention.head_count_kv").flatMap(Int.init) ?? heads
        let headSize = embeddingLength / heads
        let keySize = metadata("\(architecture).attention.key_length").flatMap(Int.init) ?? headSize
        let valueSize = metadata("\(architecture).attention.value_length").flatMap(Int.init) ?? headSize
        return UInt64(contextLength * layers * kvHeads * (keySize + valueSize) * 2)
    }

    /// The chat template stored in the model, when it has one.
    var chatTemplate: String? {
        api.modelChatTemplate(handle, nil).map { String(cString: $0) }
    }

    /// The text of the BOS token (`bos_token` of chat templates), `nil` when the model has none.
    var bosText: String? { specialText(api.vocabBos(vocab)) }

    /// The text of the EOS token (`eos_token` of chat templates), `nil` when the model has none.
    var eosText: String? { specialText(api.vocabEos(vocab)) }

    private func specialText(_ token: llama_token) -> String? {
        guard token >= 0, token < vocabularySize else { return nil }
        return String(decoding: piece(of: token, special: true), as: UTF8.self)
    }

    /// The text of token ids, control tokens written out; an id outside the vocabulary is an invalid request.
    func detokenize(_ tokens: [Int]) throws(InferenceError) -> String {
        var bytes: [UInt8] = []
        for token in tokens {
            guard token >= 0, token < Int(vocabularySize) else {
                throw .invalidRequest("token \(token) is not in the model's vocabulary of \(vocabularySize) tokens")
            }
            bytes += piece(of: llama_token(token), special: true)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether a token ends the model's turn.
    func isEndOfGeneration(_ token: llama_token) -> Bool {
        api.vocabIsEog(vocab, token)
    }

    /// Splits text into tokens. `addSpecial` adds the BOS token when the model wants one; `parseSpecial`
    /// turns control-token text (`<|im_start|>`) into the control tokens.
    func tokenize(_ text: String, addSpecial: Bool, parseSpecial: Bool) throws(InferenceError) -> [llama_token] {
        var utf8 = Array(text.utf8)
        let length = Int32(clamping: utf8.count)
        var tokens = [llama_token](repeating: 0, count: utf8.count + 2)
        var count = utf8.withUnsafeMutableBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) {
                api.tokenize(vocab, $0.baseAddress, length, &tokens, Int32(tokens.count), addSpecial, parseSpecial)
            }
        }
        if count < 0, count != Int32.min {
            tokens = [llama_token](repeating: 0, count: Int(-count))
            count = utf8.withUnsafeMutableBufferPointer { bytes in
                bytes.withMemoryRebound(to: CChar.self) {
                    api.tokenize(vocab, $0.baseAddress, length, &tokens, Int32(tokens.count), addSpecial, parseSpecial)
                }
            }
        }
        guard count >= 0 else { throw .invalidRequest("the text cannot be tokenized") }
        tokens.removeLast(tokens.count - Int(count))
        // A template that writes BOS itself, tokenized with addSpecial, would start with two.
        let bos = api.vocabBos(vocab)
        if tokens.count >= 2, tokens[0] == bos, tokens[1] == bos { tokens.removeFirst() }
        return tokens
    }

    /// The bytes a token stands for; control tokens give nothing unless `special` writes them out.
    func piece(of token: llama_token, special: Bool = false) -> [UInt8] {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = api.tokenToPiece(vocab, token, &buffer, Int32(buffer.count), 0, special)
        if length < 0 {
            buffer = [CChar](repeating: 0, count: Int(-length))
            length = api.tokenToPiece(vocab, token, &buffer, Int32(buffer.count), 0, special)
        }
        guard length > 0 else { return [] }
        return buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }
    }

    /// Renders a conversation with the model's template (llama.cpp's built-in template support),
    /// ending with the start of the assistant's turn. Models without a template get ChatML.
    func renderChat(_ messages: [ChatMessage]) throws(InferenceError) -> String {
        let template = chatTemplate ?? "chatml"
        let strings = messages.flatMap { [$0.role.rawValue, $0.content] }
        let cStrings = strings.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var chat = (0..<messages.count).map {
            llama_chat_message(role: cStrings[2 * $0], content: cStrings[2 * $0 + 1])
        }
        let estimate = 2 * strings.reduce(0) { $0 + $1.utf8.count } + 256
        var buffer = [CChar](repeating: 0, count: estimate)
        var length = api.chatApplyTemplate(template, &chat, chat.count, true, &buffer, Int32(buffer.count))
        if length > buffer.count {
            buffer = [CChar](repeating: 0, count: Int(length))
            length = api.chatApplyTemplate(template, &chat, chat.count, true, &buffer, Int32(buffer.count))
        }
        guard length >= 0 else {
            throw .invalidRequest(
                "this model's chat template is not supported yet; send a raw prompt to /v1/completions instead")
        }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

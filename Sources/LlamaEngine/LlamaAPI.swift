import CLlama
import EngineSupport
import InferenceTypes

/// The functions of libllama.so that the engine calls, looked up once when the library is opened.
struct LlamaAPI: Sendable {
    let version: llama_version_fn
    let backendInit: llama_backend_init_fn
    let logSet: llama_log_set_fn
    let modelDefaultParams: llama_model_default_params_fn
    let contextDefaultParams: llama_context_default_params_fn
    let samplerChainDefaultParams: llama_sampler_chain_default_params_fn
    let modelLoadFromFile: llama_model_load_from_file_fn
    let modelFree: llama_model_free_fn
    let initFromModel: llama_init_from_model_fn
    let free: llama_free_fn
    let nCtx: llama_n_ctx_fn
    let nBatch: llama_n_batch_fn
    let getMemory: llama_get_memory_fn
    let modelGetVocab: llama_model_get_vocab_fn
    let modelNCtxTrain: llama_model_n_ctx_train_fn
    let modelNEmbd: llama_model_n_embd_fn
    let modelNEmbdOut: llama_model_n_embd_out_fn
    let modelSize: llama_model_size_fn
    let modelNParams: llama_model_n_params_fn
    let modelMetaValStr: llama_model_meta_val_str_fn
    let modelChatTemplate: llama_model_chat_template_fn
    let vocabNTokens: llama_vocab_n_tokens_fn
    let vocabIsEog: llama_vocab_is_eog_fn
    let vocabBos: llama_vocab_token_fn
    let vocabEos: llama_vocab_token_fn
    let vocabGetAddBos: llama_vocab_get_add_bos_fn
    let tokenize: llama_tokenize_fn
    let tokenToPiece: llama_token_to_piece_fn
    let chatApplyTemplate: llama_chat_apply_template_fn
    let batchInit: llama_batch_init_fn
    let batchFree: llama_batch_free_fn
    let decode: llama_decode_fn
    let getLogitsIth: llama_get_logits_ith_fn
    let getEmbeddingsSeq: llama_get_embeddings_seq_fn
    let memoryClear: llama_memory_clear_fn
    let memorySeqRm: llama_memory_seq_rm_fn
    let setAbortCallback: llama_set_abort_callback_fn
    let samplerChainInit: llama_sampler_chain_init_fn
    let samplerChainAdd: llama_sampler_chain_add_fn
    let samplerInitGreedy: llama_sampler_init_void_fn
    let samplerInitDist: llama_sampler_init_seed_fn
    let samplerInitTopK: llama_sampler_init_int_fn
    let samplerInitTopP: llama_sampler_init_float_keep_fn
    let samplerInitMinP: llama_sampler_init_float_keep_fn
    let samplerInitTemp: llama_sampler_init_float_fn
    let samplerInitPenalties: llama_sampler_init_penalties_fn
    let samplerInitGrammar: llama_sampler_init_grammar_fn
    let samplerApply: llama_sampler_apply_fn
    let samplerAccept: llama_sampler_accept_fn
    let samplerSample: llama_sampler_sample_fn
    let samplerFree: llama_sampler_free_fn
    // Sequence states (LlamaStateCache).
    let stateSeqGetSize: llama_state_seq_get_size_fn
    let stateSeqGetData: llama_state_seq_get_data_fn
    let stateSeqSetData: llama_state_seq_set_data_fn
    let memorySeqCp: llama_memory_seq_cp_fn

    /// Looks up every function; a missing one means the library is not the pinned llama.cpp.
    init(_ library: DynamicLibrary) throws(DynamicLibrary.LoadError) {
        version = try library.function("llama_version")
        backendInit = try library.function("llama_backend_init")
        logSet = try library.function("llama_log_set")
        modelDefaultParams = try library.function("llama_model_default_params")
        contextDefaultParams = try library.function("llama_context_default_params")
        samplerChainDefaultParams = try library.function("llama_sampler_chain_default_params")
        modelLoadFromFile = try library.function("llama_model_load_from_file")
        modelFree = try library.function("llama_model_free")
        initFromModel = try library.function("llama_init_from_model")
        free = try library.function("llama_free")
        nCtx = try library.function("llama_n_ctx")
        nBatch = try library.function("llama_n_batch")
        getMemory = try library.function("llama_get_memory")
        modelGetVocab = try library.function("llama_model_get_vocab")
        modelNCtxTrain = try library.function("llama_model_n_ctx_train")
        modelNEmbd = try library.function("llama_model_n_embd")
        modelNEmbdOut = try library.function("llama_model_n_embd_out")
        modelSize = try library.function("llama_model_size")
        modelNParams = try library.function("llama_model_n_params")
        modelMetaValStr = try library.function("llama_model_meta_val_str")
        modelChatTemplate = try library.function("llama_model_chat_template")
        vocabNTokens = try library.function("llama_vocab_n_tokens")
        vocabIsEog = try library.function("llama_vocab_is_eog")
        vocabBos = try library.function("llama_vocab_bos")
        vocabEos = try library.function("llama_vocab_eos")
        vocabGetAddBos = try library.function("llama_vocab_get_add_bos")
        tokenize = try library.function("llama_tokenize")
        tokenToPiece = try library.function("llama_token_to_piece")
        chatApplyTemplate = try library.function("llama_chat_apply_template")
        batchInit = try library.function("llama_batch_init")
        batchFree = try library.function("llama_batch_free")
        decode = try library.function("llama_decode")
        getLogitsIth = try library.function("llama_get_logits_ith")
        getEmbeddingsSeq = try library.function("llama_get_embeddings_seq")
        memoryClear = try library.function("llama_memory_clear")
        memorySeqRm = try library.function("llama_memory_seq_rm")
        setAbortCallback = try library.function("llama_set_abort_callback")
        samplerChainInit = try library.function("llama_sampler_chain_init")
        samplerChainAdd = try library.function("llama_sampler_chain_add")
        samplerInitGreedy = try library.function("llama_sampler_init_greedy")
        samplerInitDist = try library.function("llama_sampler_init_dist")
        samplerInitTopK = try library.function("llama_sampler_init_top_k")
        samplerInitTopP = try library.function("llama_sampler_init_top_p")
        samplerInitMinP = try library.function("llama_sampler_init_min_p")
        samplerInitTemp = try library.function("llama_sampler_init_temp")
        samplerInitPenalties = try library.function("llama_sampler_init_penalties")
        samplerInitGrammar = try library.function("llama_sampler_init_grammar")
        samplerApply = try library.function("llama_sampler_apply")
        samplerAccept = try library.function("llama_sampler_accept")
        samplerSample = try library.function("llama_sampler_sample")
        samplerFree = try library.function("llama_sampler_free")
        stateSeqGetSize = try library.function("llama_state_seq_get_size")
        stateSeqGetData = try library.function("llama_state_seq_get_data")
        stateSeqSetData = try library.function("llama_state_seq_set_data")
        memorySeqCp = try library.function("llama_memory_seq_cp")
    }
}

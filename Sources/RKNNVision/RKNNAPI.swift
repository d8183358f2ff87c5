import CRKNN
import EngineSupport

/// The functions of librknnrt.so that the vision encoder calls, looked up once when the library is opened.
struct RKNNAPI: Sendable {
    let initialize: rknn_init_fn
    let destroy: rknn_destroy_fn
    let query: rknn_query_fn
    let inputsSet: rknn_inputs_set_fn
    let setCoreMask: rknn_set_core_mask_fn
    let run: rknn_run_fn
    let outputsGet: rknn_outputs_get_fn
    let outputsRelease: rknn_outputs_release_fn

    init(_ library: DynamicLibrary) throws(DynamicLibrary.LoadError) {
        initialize = try library.function("rknn_init")
        destroy = try library.function("rknn_destroy")
        query = try library.function("rknn_query")
        inputsSet = try library.function("rknn_inputs_set")
        setCoreMask = try library.function("rknn_set_core_mask")
        run = try library.function("rknn_run")
        outputsGet = try library.function("rknn_outputs_get")
        outputsRelease = try library.function("rknn_outputs_release")
    }
}

/// What an RKNN runtime return code means, as rknn_api.h names it.
enum RKNNReturnCode {
    /// `-6 (RKNN_ERR_MODEL_INVALID: the model is invalid)`, or the bare number for a code the API does not name.
    static func describe(_ code: Int32) -> String {
        guard let (name, meaning) = names[code] else { return "\(code)" }
        return "\(code) (\(name): \(meaning))"
    }

    private static let names: [Int32: (String, String)] = [
        -1: ("RKNN_ERR_FAIL", "execution failed"),
        -2: ("RKNN_ERR_TIMEOUT", "execution timed out"),
        -3: ("RKNN_ERR_DEVICE_UNAVAILABLE", "the NPU is unavailable"),
        -4: ("RKNN_ERR_MALLOC_FAIL", "memory allocation failed"),
        -5: ("RKNN_ERR_PARAM_INVALID", "a parameter is invalid"),
        -6: ("RKNN_ERR_MODEL_INVALID", "the model is invalid"),
        -7: ("RKNN_ERR_CTX_INVALID", "the context is invalid"),
        -8: ("RKNN_ERR_INPUT_INVALID", "the input is invalid"),
        -9: ("RKNN_ERR_OUTPUT_INVALID", "the output is invalid"),
        -10: ("RKNN_ERR_DEVICE_UNMATCH", "the device does not match; update the RKNN runtime and the NPU driver"),
        -11: (
            "RKNN_ERR_INCOMPATILE_PRE_COMPILE_MODEL", "the model was pre-compiled for a different driver"
        ),
        -12: (
            "RKNN_ERR_INCOMPATILE_OPTIMIZATION_LEVEL_VERSION",
            "the model's optimization level is not compatible with this driver"
        ),
        -13: ("RKNN_ERR_TARGET_PLATFORM_UNMATCH", "the model was converted for another platform"),
    ]
}

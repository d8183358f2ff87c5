import CRKNN

extension RKNNVisionEncoder {
    /// The encoder's shape from `rknn_query`: one image input, one or more outputs of the same token count.
    static func readShape(api: RKNNAPI, context: rknn_context) throws(RKNNEncoderShape.Refusal) -> RKNNEncoderShape {
        var counts = rknn_input_output_num()
        try query(api, context, RKNN_QUERY_IN_OUT_NUM, &counts, "RKNN_QUERY_IN_OUT_NUM")
        guard counts.n_input == 1 else {
            throw .init(reason: "it has \(counts.n_input) inputs, not one image")
        }
        guard counts.n_output >= 1, counts.n_output <= 16 else {
            throw .init(reason: "it has \(counts.n_output) outputs")
        }
        var input = rknn_tensor_attr()
        input.index = 0
        try query(api, context, RKNN_QUERY_INPUT_ATTR, &input, "RKNN_QUERY_INPUT_ATTR")
        let (width, height) = try RKNNEncoderShape.input(dims: dims(of: input), format: input.fmt)

        var tokens: Int?
        var sizes: [Int] = []
        for index in 0..<counts.n_output {
            var output = rknn_tensor_attr()
            output.index = index
            try query(api, context, RKNN_QUERY_OUTPUT_ATTR, &output, "RKNN_QUERY_OUTPUT_ATTR")
            let shape = try RKNNEncoderShape.output(dims: dims(of: output), elements: output.n_elems)
            guard tokens == nil || tokens == shape.tokens else {
                throw .init(reason: "its outputs have different token counts (\(tokens ?? 0) and \(shape.tokens))")
            }
            tokens = shape.tokens
            sizes.append(shape.embeddingSize)
        }
        let result = RKNNEncoderShape(width: width, height: height, tokens: tokens ?? 0, outputEmbeddingSizes: sizes)
        guard result.tokens * result.embeddingSize <= RKNNEncoderShape.maxFloats else {
            throw .init(reason: "its outputs are too large")
        }
        return result
    }

    /// `RKNN <api version> (driver <version>)`, or `RKNN (version unknown)` when the query fails.
    static func version(api: RKNNAPI, context: rknn_context) -> String {
        var version = rknn_sdk_version()
        let status = withUnsafeMutableBytes(of: &version) {
            api.query(context, RKNN_QUERY_SDK_VERSION, $0.baseAddress, UInt32($0.count))
        }
        guard status == RKNN_SUCC else { return "RKNN (version unknown)" }
        let apiVersion = text(of: version.api_version)
        let driver = text(of: version.drv_version)
        return "RKNN \(apiVersion)" + (driver.isEmpty ? "" : " (driver \(driver))")
    }

    private static func query<Info>(
        _ api: RKNNAPI, _ context: rknn_context, _ command: Int32, _ info: inout Info, _ name: String
    ) throws(RKNNEncoderShape.Refusal) {
        let status = withUnsafeMutableBytes(of: &info) { api.query(context, command, $0.baseAddress, UInt32($0.count)) }
        guard status == RKNN_SUCC else {
            throw .init(reason: "rknn_query(\(name)) returned \(RKNNReturnCode.describe(status))")
        }
    }

    /// The attribute's first `n_dims` dimensions.
    private static func dims(of attribute: rknn_tensor_attr) -> [UInt32] {
        let count = min(Int(attribute.n_dims), Int(RKNN_MAX_DIMS))
        return withUnsafeBytes(of: attribute.dims) { Array($0.bindMemory(to: UInt32.self).prefix(count)) }
    }

    /// A fixed-size C string field as a Swift string (up to its first NUL).
    private static func text<Field>(of field: Field) -> String {
        withUnsafeBytes(of: field) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return String(decoding: bytes, as: UTF8.self)
        }
    }
}

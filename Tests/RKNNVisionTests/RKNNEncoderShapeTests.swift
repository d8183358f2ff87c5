import CRKNN
import Testing

@testable import RKNNVision

/// The shape read from the runtime's tensor attributes: both input layouts, outputs of any rank, and refusals
/// that name what the runtime reported. (Tests that load an encoder are in RKNNVisionEncoderTests, serialized:
/// they change the simulator's environment.)
@Suite struct RKNNEncoderShapeTests {
    @Test func bothInputLayoutsGiveWidthAndHeight() throws {
        let nhwc = try RKNNEncoderShape.input(dims: [1, 448, 392, 3], format: RKNN_TENSOR_NHWC)
        #expect(nhwc.width == 392 && nhwc.height == 448)
        let nchw = try RKNNEncoderShape.input(dims: [1, 3, 448, 392], format: RKNN_TENSOR_NCHW)
        #expect(nchw.width == 392 && nchw.height == 448)
    }

    @Test func inputsThatAreNotOneRGBImageAreRefused() {
        #expect(throws: RKNNEncoderShape.Refusal.self) {
            try RKNNEncoderShape.input(dims: [1, 392, 392, 4], format: RKNN_TENSOR_NHWC)
        }
        #expect(throws: RKNNEncoderShape.Refusal.self) {
            try RKNNEncoderShape.input(dims: [2, 392, 392, 3], format: RKNN_TENSOR_NHWC)
        }
        #expect(throws: RKNNEncoderShape.Refusal.self) {
            try RKNNEncoderShape.input(dims: [1, 392, 392, 3], format: RKNN_TENSOR_NC1HWC2)
        }
        #expect(throws: RKNNEncoderShape.Refusal.self) {
            try RKNNEncoderShape.input(dims: [1, 100_000, 392, 3], format: RKNN_TENSOR_NHWC)
        }
    }

    @Test func theLastOutputDimensionIsTheEmbeddingSize() throws {
        let flat = try RKNNEncoderShape.output(dims: [196, 1536], elements: 196 * 1536)
        #expect(flat.tokens == 196 && flat.embeddingSize == 1536)
        let batched = try RKNNEncoderShape.output(dims: [1, 196, 1536], elements: 196 * 1536)
        #expect(batched.tokens == 196 && batched.embeddingSize == 1536)
        #expect(throws: RKNNEncoderShape.Refusal.self) {
            try RKNNEncoderShape.output(dims: [196, 1536], elements: 196)
        }
        #expect(throws: RKNNEncoderShape.Refusal.self) { try RKNNEncoderShape.output(dims: [], elements: 0) }
        #expect(throws: RKNNEncoderShape.Refusal.self) {
            try RKNNEncoderShape.output(dims: [65536, 65536, 65536], elements: 0)
        }
    }
}

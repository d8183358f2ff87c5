import Foundation
import InferenceTypes
import RKNNVision
import TestSupport
import Testing

/// The vision encoder against the RKNN simulator: the shape comes from the runtime, the embeddings from the
/// image (each row a region's mean colour), and each failure names its cause.
@Suite(.serialized) struct RKNNVisionEncoderTests {
    private func encoder(width: Int = 392, height: Int = 392, tokens: Int = 196, embeddingSize: Int = 1536) throws
        -> RKNNVisionEncoder
    {
        let directory = try Simulator.makeDirectory()
        let path = try Simulator.writeVisionEncoder(
            in: directory, width: width, height: height, tokens: tokens, embeddingSize: embeddingSize)
        return try RKNNVisionEncoder(modelPath: path, libraryPath: Simulator.rknnLibraryPath, modelName: "qwen2-vl")
    }

    /// An image of `width` x `height` pixels, each coloured by `colour(x, y)`.
    private func image(width: Int, height: Int, _ colour: (Int, Int) -> (UInt8, UInt8, UInt8)) -> [UInt8] {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(width * height * 3)
        for y in 0..<height {
            for x in 0..<width {
                let (red, green, blue) = colour(x, y)
                pixels += [red, green, blue]
            }
        }
        return pixels
    }

    @Test func theShapeIsReadFromTheRuntime() throws {
        let standard = try encoder()
        #expect(standard.inputWidth == 392 && standard.inputHeight == 392)
        #expect(standard.imageTokens == 196 && standard.embeddingSize == 1536)
        #expect(standard.runtimeVersion.contains("rknn-sim"))
        #expect(standard.libraryPath.hasSuffix("rknn-sim/librknnrt.so"))

        let small = try encoder(width: 64, height: 32, tokens: 16, embeddingSize: 6)
        #expect(small.inputWidth == 64 && small.inputHeight == 32)
        #expect(small.imageTokens == 16 && small.embeddingSize == 6)
    }

    @Test func aRedImageHasColumnMeansOneZeroZero() throws {
        let encoder = try encoder()
        let embeddings = try encoder.encode(image(width: 392, height: 392) { _, _ in (255, 0, 0) })
        #expect(embeddings.count == 196 * 1536)
        for column in 0..<6 {
            let mean = stride(from: column, to: embeddings.count, by: 1536).map { embeddings[$0] }.reduce(0, +) / 196
            #expect(abs(mean - (column % 3 == 0 ? 1 : 0)) < 1e-6, "column \(column)")
        }
    }

    @Test func aLeftRedRightBlueImageHasItsRowsInPlace() throws {
        let encoder = try encoder()
        let embeddings = try encoder.encode(
            image(width: 392, height: 392) { x, _ in x < 196 ? (255, 0, 0) : (0, 0, 255) })
        // 14 x 14 regions, row-major: the first 7 of each grid row are on the left.
        for token in 0..<196 {
            let row = embeddings[(token * 1536)..<(token * 1536 + 3)]
            let expected: [Float] = token % 14 < 7 ? [1, 0, 0] : [0, 0, 1]
            #expect(Array(row) == expected, "token \(token)")
        }
    }

    @Test func theWrongPixelCountIsRefused() throws {
        let encoder = try encoder(width: 64, height: 32, tokens: 16, embeddingSize: 6)
        #expect {
            _ = try encoder.encode([UInt8](repeating: 0, count: 64 * 32 * 3 - 1))
        } throws: { error in
            guard case .invalidRequest(let reason) = error as? InferenceError else { return false }
            return reason.contains("64 x 32")
        }
    }

    @Test func aBadFileIsAModelLoadFailureInTheRuntimesWords() throws {
        let directory = try Simulator.makeDirectory()
        let path = "\(directory)/broken.rknn"
        try Data("RKNNSIM1{\"width\":392".utf8).write(to: URL(fileURLWithPath: path))
        let reason = try loadFailure(path)
        #expect(reason.contains("RKNN_ERR_MODEL_INVALID"))
        #expect(reason.contains("invalid model"), "the simulator's E RKNN line: \(reason)")
        #expect(reason.contains("broken.rknn") && !reason.contains(directory))
    }

    @Test func aMissingOrEmptyFileIsAModelLoadFailure() throws {
        let directory = try Simulator.makeDirectory()
        #expect(try loadFailure("\(directory)/none.rknn").contains("does not exist"))
        _ = FileManager.default.createFile(atPath: "\(directory)/empty.rknn", contents: nil)
        #expect(try loadFailure("\(directory)/empty.rknn").contains("empty"))
    }

    @Test func anotherPlatformsEncoderIsRefused() throws {
        let directory = try Simulator.makeDirectory()
        let path = try Simulator.writeVisionEncoder(in: directory, platform: "rk3576")
        #expect(try loadFailure(path).contains("RKNN_ERR_TARGET_PLATFORM_UNMATCH"))
    }

    @Test func noDriverIsAModelLoadFailure() throws {
        let directory = try Simulator.makeDirectory()
        let path = try Simulator.writeVisionEncoder(in: directory)
        setenv("RKNN_SIM_NO_DRIVER", "1", 1)
        defer { unsetenv("RKNN_SIM_NO_DRIVER") }
        let reason = try loadFailure(path)
        #expect(reason.contains("RKNN_ERR_FAIL") && reason.contains("failed to open rknn device"))
    }

    @Test func aMissingLibraryIsRuntimeUnavailable() throws {
        let directory = try Simulator.makeDirectory()
        let path = try Simulator.writeVisionEncoder(in: directory)
        #expect {
            _ = try RKNNVisionEncoder(modelPath: path, libraryPath: "/nonexistent/librknnrt.so", modelName: "m")
        } throws: { error in
            guard case .runtimeUnavailable(let reason) = error as? InferenceError else { return false }
            return reason.contains("/nonexistent/librknnrt.so")
        }
        // A library that is not the RKNN runtime (the RKLLM simulator).
        #expect {
            _ = try RKNNVisionEncoder(modelPath: path, libraryPath: Simulator.libraryPath("1.3"), modelName: "m")
        } throws: { error in
            guard case .runtimeUnavailable(let reason) = error as? InferenceError else { return false }
            return reason.contains("not an RKNN runtime") && reason.contains("rknn_init")
        }
    }

    @Test func theDefaultSearchNamesEveryPlaceSearched() throws {
        let places = ["/nonexistent/a/librknnrt.so", "/nonexistent/b/librknnrt.so"]
        #expect {
            _ = try RKNNRuntime.locate(configured: nil, environment: [:], searchPaths: places)
        } throws: { error in
            guard case .runtimeUnavailable(let reason) = error as? InferenceError else { return false }
            return places.allSatisfy(reason.contains) && reason.contains("--rknn-lib")
                && reason.contains("ROCKCHIP_LLAMA_RKNN_LIB")
        }
        let fromEnvironment = try RKNNRuntime.locate(
            configured: nil, environment: ["ROCKCHIP_LLAMA_RKNN_LIB": "/opt/librknnrt.so"], searchPaths: places)
        #expect(fromEnvironment == "/opt/librknnrt.so")
        #expect(
            try RKNNRuntime.locate(configured: "/x/librknnrt.so", environment: [:], searchPaths: [])
                == "/x/librknnrt.so")
        #expect(RKNNRuntime.defaultSearchPaths(besideRKLLM: "/opt/rk/librkllmrt.so").last == "/opt/rk/librknnrt.so")
    }

    /// The reason of the `.modelLoadFailed` that loading `path` throws.
    private func loadFailure(_ path: String) throws -> String {
        do {
            _ = try RKNNVisionEncoder(modelPath: path, libraryPath: Simulator.rknnLibraryPath, modelName: "qwen2-vl")
        } catch .modelLoadFailed(let model, let reason) {
            #expect(model == "qwen2-vl")
            return reason
        }
        Issue.record("the encoder loaded")
        return ""
    }
}

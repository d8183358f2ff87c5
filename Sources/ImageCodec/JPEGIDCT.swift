/// The 8x8 inverse DCT in integers (the Loeffler-Ligtenberg-Moschytz factorisation libjpeg's "islow" uses,
/// 13-bit constants), dequantising as it goes.
enum JPEGIDCT {
    /// One component's samples after the inverse DCT: `width` = 8 x blocks per line, padding included.
    struct Plane {
        var width: Int
        var height: Int
        var samples: [UInt8]
    }

    /// Every component's plane.
    static func planes(of frame: JPEGFrame, quantizationTables: [[UInt16]]) -> [Plane] {
        frame.components.map { component in
            let width = component.blocksPerLine * 8
            let height = component.blocksPerColumn * 8
            var samples = [UInt8](repeating: 0, count: width * height)
            let table = quantizationTables[component.quantizationTable].map { Int32($0) }
            // The pointers live only inside these closures; every block's 8x8 output lies inside `samples`
            // because the plane is exactly blocksPerLine x blocksPerColumn blocks.
            component.coefficients.withUnsafeBufferPointer { coefficients in
                table.withUnsafeBufferPointer { quantization in
                    samples.withUnsafeMutableBufferPointer { output in
                        var workspace = [Int32](repeating: 0, count: 64)
                        workspace.withUnsafeMutableBufferPointer { workspace in
                            for row in 0..<component.blocksPerColumn {
                                for column in 0..<component.blocksPerLine {
                                    let block = row * component.blocksPerLine + column
                                    transform(
                                        coefficients.baseAddress! + block * 64, quantization.baseAddress!,
                                        workspace.baseAddress!,
                                        output.baseAddress! + row * 8 * width + column * 8, stride: width)
                                }
                            }
                        }
                    }
                }
            }
            return Plane(width: width, height: height, samples: samples)
        }
    }

    private static let c0_298631336: Int32 = 2446
    private static let c0_390180644: Int32 = 3196
    private static let c0_541196100: Int32 = 4433
    private static let c0_765366865: Int32 = 6270
    private static let c0_899976223: Int32 = 7373
    private static let c1_175875602: Int32 = 9633
    private static let c1_501321110: Int32 = 12299
    private static let c1_847759065: Int32 = 15137
    private static let c1_961570560: Int32 = 16069
    private static let c2_053119869: Int32 = 16819
    private static let c2_562915447: Int32 = 20995
    private static let c3_072711026: Int32 = 25172
    private static let constBits: Int32 = 13
    private static let pass1Bits: Int32 = 2

    /// The even and odd halves of one 1-D 8-point inverse DCT, results in the order 0...7.
    @inline(__always)
    private static func butterfly(
        _ i0: Int32, _ i1: Int32, _ i2: Int32, _ i3: Int32, _ i4: Int32, _ i5: Int32, _ i6: Int32, _ i7: Int32
    ) -> (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) {
        let z1 = (i2 &+ i6) &* c0_541196100
        let even2 = z1 &- i6 &* c1_847759065
        let even3 = z1 &+ i2 &* c0_765366865
        let even0 = (i0 &+ i4) << constBits
        let even1 = (i0 &- i4) << constBits
        let t10 = even0 &+ even3
        let t13 = even0 &- even3
        let t11 = even1 &+ even2
        let t12 = even1 &- even2

        let z5 = (i7 &+ i3 &+ i5 &+ i1) &* c1_175875602
        let za = (i7 &+ i1) &* -c0_899976223
        let zb = (i5 &+ i3) &* -c2_562915447
        let zc = (i7 &+ i3) &* -c1_961570560 &+ z5
        let zd = (i5 &+ i1) &* -c0_390180644 &+ z5
        let odd0 = i7 &* c0_298631336 &+ za &+ zc
        let odd1 = i5 &* c2_053119869 &+ zb &+ zd
        let odd2 = i3 &* c3_072711026 &+ zb &+ zc
        let odd3 = i1 &* c1_501321110 &+ za &+ zd
        return (
            t10 &+ odd3, t11 &+ odd2, t12 &+ odd1, t13 &+ odd0, t13 &- odd0, t12 &- odd1, t11 &- odd2, t10 &- odd3
        )
    }

    @inline(__always)
    private static func clamp(_ value: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: value < 0 ? 0 : value > 255 ? 255 : value)
    }

    /// One block: columns into `workspace` (scaled up by `pass1Bits`), then rows into the output.
    @inline(__always)
    private static func transform(
        _ input: UnsafePointer<Int16>, _ quantization: UnsafePointer<Int32>, _ workspace: UnsafeMutablePointer<Int32>,
        _ output: UnsafeMutablePointer<UInt8>, stride: Int
    ) {
        for column in 0..<8 {
            @inline(__always) func value(_ row: Int) -> Int32 {
                Int32(input[row * 8 + column]) &* quantization[row * 8 + column]
            }
            if input[8 + column] == 0, input[16 + column] == 0, input[24 + column] == 0, input[32 + column] == 0,
                input[40 + column] == 0, input[48 + column] == 0, input[56 + column] == 0
            {
                let dc = value(0) << pass1Bits
                for row in 0..<8 { workspace[row * 8 + column] = dc }
                continue
            }
            let out = butterfly(value(0), value(1), value(2), value(3), value(4), value(5), value(6), value(7))
            let shift = constBits - pass1Bits
            let round: Int32 = 1 << (shift - 1)
            workspace[column] = (out.0 &+ round) >> shift
            workspace[8 + column] = (out.1 &+ round) >> shift
            workspace[16 + column] = (out.2 &+ round) >> shift
            workspace[24 + column] = (out.3 &+ round) >> shift
            workspace[32 + column] = (out.4 &+ round) >> shift
            workspace[40 + column] = (out.5 &+ round) >> shift
            workspace[48 + column] = (out.6 &+ round) >> shift
            workspace[56 + column] = (out.7 &+ round) >> shift
        }
        let shift = constBits + pass1Bits + 3
        let round: Int32 = (1 << (shift - 1)) &+ (128 << shift)
        for row in 0..<8 {
            let w = workspace + row * 8
            let o = output + row * stride
            if w[1] == 0, w[2] == 0, w[3] == 0, w[4] == 0, w[5] == 0, w[6] == 0, w[7] == 0 {
                let dc = clamp((w[0] &+ (1 << (pass1Bits + 2)) &+ (128 << (pass1Bits + 3))) >> (pass1Bits + 3))
                for x in 0..<8 { o[x] = dc }
                continue
            }
            let out = butterfly(w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7])
            o[0] = clamp((out.0 &+ round) >> shift)
            o[1] = clamp((out.1 &+ round) >> shift)
            o[2] = clamp((out.2 &+ round) >> shift)
            o[3] = clamp((out.3 &+ round) >> shift)
            o[4] = clamp((out.4 &+ round) >> shift)
            o[5] = clamp((out.5 &+ round) >> shift)
            o[6] = clamp((out.6 &+ round) >> shift)
            o[7] = clamp((out.7 &+ round) >> shift)
        }
    }
}

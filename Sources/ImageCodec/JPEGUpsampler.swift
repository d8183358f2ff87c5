/// libjpeg's "fancy" upsampling of chroma sampled at half the width (4:2:2) or half the width and height
/// (4:2:0): each output sample is a 3:1 blend of the nearest two input samples in each halved direction, so that
/// colour edges are not blocky. Other sampling ratios are left to the colour converter's box upsampling.
enum JPEGUpsampler {
    /// The plane at the image's full size (`width` x `height`), or nil when its ratio has no fancy upsampling.
    /// `sampleWidth` and `sampleHeight` are the component's own extent (its samples that hold the image).
    static func fancy(
        _ plane: JPEGIDCT.Plane, ratioX: Int, ratioY: Int, sampleWidth: Int, sampleHeight: Int, width: Int,
        height: Int
    ) -> JPEGIDCT.Plane? {
        guard ratioX == 2, ratioY == 1 || ratioY == 2, sampleWidth >= 1, sampleHeight >= 1 else { return nil }
        var samples = [UInt8](repeating: 0, count: width * height)
        var sums = [Int32](repeating: 0, count: sampleWidth)
        let lastRow = min(sampleHeight, plane.height) - 1
        // Every read is of a row in 0...lastRow and a column below sampleWidth <= the plane's width; every write
        // is of a column below width <= 2 x sampleWidth in a row below height.
        plane.samples.withUnsafeBufferPointer { input in
            samples.withUnsafeMutableBufferPointer { output in
                sums.withUnsafeMutableBufferPointer { sums in
                    for y in 0..<height {
                        let near = min(y / ratioY, lastRow)
                        let near0 = input.baseAddress! + near * plane.width
                        let out = output.baseAddress! + y * width
                        if ratioY == 1 {
                            for x in 0..<sampleWidth { sums[x] = Int32(near0[x]) * 4 }
                        } else {
                            let far = max(0, min(y % 2 == 0 ? near - 1 : near + 1, lastRow))
                            let far0 = input.baseAddress! + far * plane.width
                            for x in 0..<sampleWidth { sums[x] = Int32(near0[x]) * 3 + Int32(far0[x]) }
                        }
                        row(sums.baseAddress!, count: sampleWidth, into: out, width: width)
                    }
                }
            }
        }
        return JPEGIDCT.Plane(width: width, height: height, samples: samples)
    }

    /// One row: `sums` are 4 x the vertically blended samples; outputs are (3 x this + neighbour) / 16.
    @inline(__always)
    private static func row(
        _ sums: UnsafeMutablePointer<Int32>, count: Int, into out: UnsafeMutablePointer<UInt8>, width: Int
    ) {
        @inline(__always) func put(_ index: Int, _ value: Int32) {
            if index < width { out[index] = UInt8(truncatingIfNeeded: value >> 4) }
        }
        if count == 1 {
            put(0, sums[0] * 4 + 8)
            put(1, sums[0] * 4 + 7)
            return
        }
        put(0, sums[0] * 4 + 8)
        put(1, sums[0] * 3 + sums[1] + 7)
        for x in 1..<(count - 1) {
            put(2 * x, sums[x] * 3 + sums[x - 1] + 8)
            put(2 * x + 1, sums[x] * 3 + sums[x + 1] + 7)
        }
        let last = count - 1
        put(2 * last, sums[last] * 3 + sums[last - 1] + 8)
        put(2 * last + 1, sums[last] * 4 + 7)
    }
}

/// Upsamples the component planes to the image's size and converts them to RGB in one pass (each output pixel
/// reads the samples covering it: box upsampling for any sampling factors).
enum JPEGColorConverter {
    /// Fixed-point YCbCr to RGB factors (JFIF, 16 fractional bits), per Cb or Cr value.
    private static let scale: Int32 = 16
    private static let half: Int32 = 1 << 15
    private static let crToRed: [Int32] = (0..<256).map { (91881 * (Int32($0) - 128) + half) >> scale }
    private static let cbToBlue: [Int32] = (0..<256).map { (116130 * (Int32($0) - 128) + half) >> scale }
    private static let crToGreen: [Int32] = (0..<256).map { -46802 * (Int32($0) - 128) }
    private static let cbToGreen: [Int32] = (0..<256).map { -22554 * (Int32($0) - 128) + half }

    /// The image in RGB; `factors` are each plane's sampling factors (the frame's maximum for a plane
    /// already upsampled to the image's size).
    static func rgb(
        frame: JPEGFrame, planes: [JPEGIDCT.Plane], factors: [(Int, Int)], transform: JPEGColorTransform
    ) -> DecodedImage {
        let width = frame.width
        let height = frame.height
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        // For each component, the plane column each output column reads.
        let columns: [[Int]] = factors.map { factor in
            (0..<width).map { $0 * factor.0 / frame.maxHorizontalFactor }
        }
        var rows = [UnsafePointer<UInt8>?](repeating: nil, count: planes.count)
        let planeData = planes.map(\.samples)
        // Each row pointer stays inside its plane: the plane row is y * v / maxV < blocksPerColumn * 8.
        withPlanePointers(planeData) { bases in
            rgb.withUnsafeMutableBufferPointer { output in
                for y in 0..<height {
                    for index in planes.indices {
                        let planeRow = y * factors[index].1 / frame.maxVerticalFactor
                        rows[index] = bases[index] + planeRow * planes[index].width
                    }
                    let out = output.baseAddress! + y * width * 3
                    convertRow(rows, columns: columns, width: width, transform: transform, into: out)
                }
            }
        }
        return DecodedImage(width: width, height: height, rgb: rgb)
    }

    private static func withPlanePointers(
        _ planes: [[UInt8]], _ body: ([UnsafePointer<UInt8>]) -> Void, collected: [UnsafePointer<UInt8>] = []
    ) {
        guard collected.count < planes.count else { return body(collected) }
        planes[collected.count].withUnsafeBufferPointer { buffer in
            withPlanePointers(planes, body, collected: collected + [buffer.baseAddress!])
        }
    }

    @inline(__always)
    private static func clamp(_ value: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: value < 0 ? 0 : value > 255 ? 255 : value)
    }

    private static func convertRow(
        _ rows: [UnsafePointer<UInt8>?], columns: [[Int]], width: Int, transform: JPEGColorTransform,
        into out: UnsafeMutablePointer<UInt8>
    ) {
        let c0 = rows[0]!
        switch transform {
        case .gray:
            for x in 0..<width {
                let value = c0[x]
                out[3 * x] = value
                out[3 * x + 1] = value
                out[3 * x + 2] = value
            }
        case .rgb:
            let c1 = rows[1]!
            let c2 = rows[2]!
            for x in 0..<width {
                out[3 * x] = c0[columns[0][x]]
                out[3 * x + 1] = c1[columns[1][x]]
                out[3 * x + 2] = c2[columns[2][x]]
            }
        case .yCbCr:
            convertYCbCr(c0, rows[1]!, rows[2]!, columns: columns, width: width, into: out)
        case .cmyk, .ycck:
            let c1 = rows[1]!
            let c2 = rows[2]!
            let c3 = rows[3]!
            for x in 0..<width {
                var r = Int32(c0[columns[0][x]])
                var g = Int32(c1[columns[1][x]])
                var b = Int32(c2[columns[2][x]])
                let k = Int32(c3[columns[3][x]])
                if transform == .ycck {
                    let cb = Int(g)
                    let cr = Int(b)
                    let y = r
                    r = 255 - Int32(clamp(y + crToRed[cr]))
                    g = 255 - Int32(clamp(y + ((cbToGreen[cb] + crToGreen[cr]) >> scale)))
                    b = 255 - Int32(clamp(y + cbToBlue[cb]))
                }
                // Adobe's CMYK is stored inverted: each value is 255 minus the ink, so RGB = value x K / 255.
                out[3 * x] = UInt8(truncatingIfNeeded: (r * k + 127) / 255)
                out[3 * x + 1] = UInt8(truncatingIfNeeded: (g * k + 127) / 255)
                out[3 * x + 2] = UInt8(truncatingIfNeeded: (b * k + 127) / 255)
            }
        }
    }

    @inline(__always)
    private static func convertYCbCr(
        _ luma: UnsafePointer<UInt8>, _ blue: UnsafePointer<UInt8>, _ red: UnsafePointer<UInt8>, columns: [[Int]],
        width: Int, into out: UnsafeMutablePointer<UInt8>
    ) {
        crToRed.withUnsafeBufferPointer { crToRed in
            cbToBlue.withUnsafeBufferPointer { cbToBlue in
                crToGreen.withUnsafeBufferPointer { crToGreen in
                    cbToGreen.withUnsafeBufferPointer { cbToGreen in
                        columns[0].withUnsafeBufferPointer { lumaColumns in
                            columns[1].withUnsafeBufferPointer { blueColumns in
                                columns[2].withUnsafeBufferPointer { redColumns in
                                    if columns.allSatisfy({ $0.count == width && $0.last == width - 1 }) {
                                        // Every plane is at full size: no column look-ups.
                                        for x in 0..<width {
                                            let y = Int32(luma[x])
                                            let cb = Int(blue[x])
                                            let cr = Int(red[x])
                                            out[3 * x] = clamp(y + crToRed[cr])
                                            out[3 * x + 1] = clamp(y + ((cbToGreen[cb] + crToGreen[cr]) >> scale))
                                            out[3 * x + 2] = clamp(y + cbToBlue[cb])
                                        }
                                        return
                                    }
                                    for x in 0..<width {
                                        let y = Int32(luma[lumaColumns[x]])
                                        let cb = Int(blue[blueColumns[x]])
                                        let cr = Int(red[redColumns[x]])
                                        out[3 * x] = clamp(y + crToRed[cr])
                                        out[3 * x + 1] = clamp(y + ((cbToGreen[cb] + crToGreen[cr]) >> scale))
                                        out[3 * x + 2] = clamp(y + cbToBlue[cb])
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

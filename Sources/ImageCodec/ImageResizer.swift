/// Resizes RGB images with a separable triangle (bilinear) filter that widens with the shrink factor, so that
/// shrinking averages the area each output pixel covers instead of aliasing (the method of Pillow's resize).
enum ImageResizer {
    /// Fixed-point weights: 14 fractional bits.
    private static let precision: Int32 = 14

    /// Each output position's first source index and weights.
    private struct Taps {
        var starts: [Int]
        var counts: [Int]
        var weights: [Int32]
        var maxCount: Int
    }

    /// The image resized to `width` x `height`, 8-bit RGB.
    static func resized(_ image: DecodedImage, width: Int, height: Int) -> [UInt8] {
        resized(image, width: width, height: height, canvasHeight: image.height, top: 0, padColor: [0, 0, 0])
    }

    /// The image centred on a canvas `canvasHeight` rows high (`top` rows of `padColor` above it, the rest
    /// below), resized to `width` x `height`, without building the canvas: the padding rows are one shared row.
    static func resized(
        _ image: DecodedImage, width: Int, height: Int, canvasHeight: Int, top: Int, padColor: [UInt8]
    ) -> [UInt8] {
        if image.width == width, image.height == height, canvasHeight == height { return image.rgb }
        let vertical = taps(from: canvasHeight, to: height)
        let horizontal = taps(from: image.width, to: width)
        let rowBytes = image.width * 3
        var padRow = [UInt8](repeating: 0, count: rowBytes)
        for index in 0..<rowBytes { padRow[index] = padColor[index % 3] }
        var middle = [UInt8](repeating: 0, count: rowBytes * height)
        var output = [UInt8](repeating: 0, count: width * height * 3)
        // Rows first, whole rows at a time (contiguous, so the compiler vectorises them); every canvas row is
        // either the shared pad row or one of the image's rows, each `rowBytes` long.
        image.rgb.withUnsafeBufferPointer { source in
            padRow.withUnsafeBufferPointer { pad in
                middle.withUnsafeMutableBufferPointer { middle in
                    resizeColumns(
                        { row in
                            row >= top && row < top + image.height
                                ? source.baseAddress! + (row - top) * rowBytes : pad.baseAddress!
                        }, rowBytes: rowBytes, into: middle.baseAddress!, rows: height, taps: vertical)
                }
            }
        }
        // Every tap index lies in 0..<source size (taps(from:to:) clamps them), so each read stays in bounds.
        middle.withUnsafeBufferPointer { middle in
            output.withUnsafeMutableBufferPointer { output in
                resizeRows(
                    middle.baseAddress!, rows: height, sourceStride: 3, sourceStep: rowBytes,
                    into: output.baseAddress!, count: width, targetStride: 3, targetStep: width * 3, taps: horizontal)
            }
        }
        return output
    }

    /// Resamples `rows` lines of RGB along one axis: pixel `i` of a line is at `line * step + i * stride`.
    private static func resizeRows(
        _ source: UnsafePointer<UInt8>, rows: Int, sourceStride: Int, sourceStep: Int,
        into target: UnsafeMutablePointer<UInt8>, count: Int, targetStride: Int, targetStep: Int, taps: Taps
    ) {
        let round: Int32 = 1 << (precision - 1)
        taps.weights.withUnsafeBufferPointer { weights in
            for line in 0..<rows {
                let input = source + line * sourceStep
                let output = target + line * targetStep
                for index in 0..<count {
                    var red = round
                    var green = round
                    var blue = round
                    var pixel = input + taps.starts[index] * sourceStride
                    let w = weights.baseAddress! + index * taps.maxCount
                    for tap in 0..<taps.counts[index] {
                        let weight = w[tap]
                        red &+= Int32(pixel[0]) &* weight
                        green &+= Int32(pixel[1]) &* weight
                        blue &+= Int32(pixel[2]) &* weight
                        pixel += sourceStride
                    }
                    let out = output + index * targetStride
                    out[0] = clamp(red >> precision)
                    out[1] = clamp(green >> precision)
                    out[2] = clamp(blue >> precision)
                }
            }
        }
    }

    /// Resamples along the columns a whole row at a time: each output row is the weighted sum of the source
    /// rows its taps name, read front to back.
    private static func resizeColumns(
        _ sourceRow: (Int) -> UnsafePointer<UInt8>, rowBytes: Int, into target: UnsafeMutablePointer<UInt8>,
        rows: Int, taps: Taps
    ) {
        let sums = UnsafeMutablePointer<Int32>.allocate(capacity: rowBytes)
        defer { sums.deallocate() }
        for row in 0..<rows {
            sums.update(repeating: 1 << (precision - 1), count: rowBytes)
            for tap in 0..<taps.counts[row] {
                let weight = taps.weights[row * taps.maxCount + tap]
                let line = sourceRow(taps.starts[row] + tap)
                for index in 0..<rowBytes { sums[index] &+= Int32(line[index]) &* weight }
            }
            let out = target + row * rowBytes
            for index in 0..<rowBytes { out[index] = clamp(sums[index] >> precision) }
        }
    }

    @inline(__always)
    private static func clamp(_ value: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: value < 0 ? 0 : value > 255 ? 255 : value)
    }

    /// The triangle filter's taps for resampling `source` positions to `target`, normalised to sum to 1.
    private static func taps(from source: Int, to target: Int) -> Taps {
        let scale = Double(source) / Double(target)
        let support = max(1, scale)
        let maxCount = Int((support * 2).rounded(.up)) + 2
        var starts = [Int](repeating: 0, count: target)
        var counts = [Int](repeating: 0, count: target)
        var weights = [Int32](repeating: 0, count: target * maxCount)
        for index in 0..<target {
            let center = (Double(index) + 0.5) * scale
            let first = max(0, Int((center - support).rounded(.down)))
            let last = min(source, Int((center + support).rounded(.up)))
            var raw: [Double] = []
            for position in first..<max(first, last) {
                let distance = abs(Double(position) + 0.5 - center) / support
                raw.append(max(0, 1 - distance))
            }
            let total = raw.reduce(0, +)
            let used = min(raw.count, maxCount)
            starts[index] = min(first, source - 1)
            counts[index] = total > 0 ? used : 1
            if total > 0 {
                for tap in 0..<used {
                    weights[index * maxCount + tap] = Int32((raw[tap] / total * Double(1 << precision)).rounded())
                }
            } else {
                weights[index * maxCount] = 1 << precision
            }
        }
        return Taps(starts: starts, counts: counts, weights: weights, maxCount: maxCount)
    }
}

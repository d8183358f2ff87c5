/// Turns unfiltered PNG samples into 8-bit RGB: depths below 8 scaled up, 16 bits cut to their high byte,
/// palettes looked up, and alpha (from the samples or tRNS) composited on white.
enum PNGPixels {
    /// The image's RGB pixels; `offsets` are where each pass's rows start in `filtered`.
    static func rgb(filtered: [UInt8], header: PNGHeader, palette: [UInt8], transparency: [UInt8], offsets: [Int])
        -> DecodedImage
    {
        let width = header.width
        var rgb = [UInt8](repeating: 255, count: width * header.height * 3)
        let depth = header.bitDepth
        let channels = header.channels
        let maxSample = (1 << depth) - 1
        // The tRNS colour of a gray or RGB image, in sample units.
        let key: [Int]? = transparencyKey(transparency, header: header)
        for (passIndex, pass) in header.passes.enumerated() {
            let size = header.passSize(pass)
            guard size.width > 0, size.height > 0 else { continue }
            let rowBytes = header.rowBytes(size.width)
            for row in 0..<size.height {
                let rowStart = offsets[passIndex] + row * (rowBytes + 1) + 1
                let y = pass.y + row * pass.dy
                for column in 0..<size.width {
                    let x = pass.x + column * pass.dx
                    func sample(_ channel: Int) -> Int {
                        let index = column * channels + channel
                        switch depth {
                        case 8: return Int(filtered[rowStart + index])
                        case 16:
                            return Int(filtered[rowStart + 2 * index]) << 8 | Int(filtered[rowStart + 2 * index + 1])
                        default:
                            let bit = index * depth
                            let byte = Int(filtered[rowStart + bit / 8])
                            return byte >> (8 - depth - bit % 8) & maxSample
                        }
                    }
                    func to8(_ value: Int) -> Int { depth == 16 ? value >> 8 : value * 255 / maxSample }
                    var color: (Int, Int, Int)
                    var alpha = 255
                    switch header.colorType {
                    case 0:
                        let gray = sample(0)
                        color = (to8(gray), to8(gray), to8(gray))
                        if let key, key[0] == gray { alpha = 0 }
                    case 2:
                        let r = sample(0)
                        let g = sample(1)
                        let b = sample(2)
                        color = (to8(r), to8(g), to8(b))
                        if let key, key == [r, g, b] { alpha = 0 }
                    case 3:
                        let index = sample(0)
                        color =
                            3 * index + 2 < palette.count
                            ? (Int(palette[3 * index]), Int(palette[3 * index + 1]), Int(palette[3 * index + 2]))
                            : (0, 0, 0)
                        if index < transparency.count { alpha = Int(transparency[index]) }
                    case 4:
                        let gray = to8(sample(0))
                        color = (gray, gray, gray)
                        alpha = to8(sample(1))
                    default:
                        color = (to8(sample(0)), to8(sample(1)), to8(sample(2)))
                        alpha = to8(sample(3))
                    }
                    let target = (y * width + x) * 3
                    rgb[target] = composite(color.0, alpha)
                    rgb[target + 1] = composite(color.1, alpha)
                    rgb[target + 2] = composite(color.2, alpha)
                }
            }
        }
        return DecodedImage(width: width, height: header.height, rgb: rgb)
    }

    /// A value over white: `(value x alpha + 255 x (255 - alpha) + 127) / 255`.
    @inline(__always)
    static func composite(_ value: Int, _ alpha: Int) -> UInt8 {
        if alpha == 255 { return UInt8(truncatingIfNeeded: value) }
        return UInt8(truncatingIfNeeded: (value * alpha + 255 * (255 - alpha) + 127) / 255)
    }

    private static func transparencyKey(_ transparency: [UInt8], header: PNGHeader) -> [Int]? {
        let count = header.colorType == 0 ? 1 : header.colorType == 2 ? 3 : 0
        guard count > 0, transparency.count >= 2 * count else { return nil }
        return (0..<count).map { Int(transparency[2 * $0]) << 8 | Int(transparency[2 * $0 + 1]) }
    }
}

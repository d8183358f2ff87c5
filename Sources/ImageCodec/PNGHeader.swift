/// A PNG file's IHDR chunk.
struct PNGHeader {
    var width: Int
    var height: Int
    var bitDepth: Int
    /// 0 gray, 2 RGB, 3 palette, 4 gray and alpha, 6 RGB and alpha.
    var colorType: Int
    var interlaced: Bool

    var imageHeader: ImageHeader { ImageHeader(format: .png, width: width, height: height) }

    /// Samples per pixel.
    var channels: Int {
        switch colorType {
        case 2: 3
        case 4: 2
        case 6: 4
        default: 1
        }
    }

    /// Bytes per complete pixel, at least 1 (the filters' left neighbour distance).
    var filterStride: Int { max(1, channels * bitDepth / 8) }

    /// Bytes in one filtered row of `width` pixels, without its filter-type byte.
    func rowBytes(_ width: Int) -> Int { (width * channels * bitDepth + 7) / 8 }

    /// The Adam7 passes as (x, y, dx, dy), or the single whole-image pass.
    var passes: [(x: Int, y: Int, dx: Int, dy: Int)] {
        interlaced
            ? [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
            : [(0, 0, 1, 1)]
    }

    /// The size of pass `pass` in pixels.
    func passSize(_ pass: (x: Int, y: Int, dx: Int, dy: Int)) -> (width: Int, height: Int) {
        ((width - pass.x + pass.dx - 1) / pass.dx, (height - pass.y + pass.dy - 1) / pass.dy)
    }

    /// What the inflated image data must be: each pass's rows, a filter byte before each.
    var inflatedSize: Int {
        passes.reduce(0) { total, pass in
            let size = passSize(pass)
            return size.width == 0 || size.height == 0 ? total : total + size.height * (1 + rowBytes(size.width))
        }
    }

    /// Reads and checks IHDR's 13 bytes.
    init(_ data: ArraySlice<UInt8>) throws(ImageDecodingError) {
        guard data.count == 13 else { throw ImageDecodingError("the PNG header is damaged") }
        let bytes = Array(data)
        func word(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        width = word(0)
        height = word(4)
        bitDepth = Int(bytes[8])
        colorType = Int(bytes[9])
        let allowed: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let depths = allowed[colorType], depths.contains(bitDepth) else {
            throw ImageDecodingError("the PNG header is damaged (colour type \(colorType), bit depth \(bitDepth))")
        }
        guard bytes[10] == 0, bytes[11] == 0, bytes[12] <= 1 else {
            throw ImageDecodingError("the PNG header names an unknown compression, filter or interlace method")
        }
        interlaced = bytes[12] == 1
    }
}

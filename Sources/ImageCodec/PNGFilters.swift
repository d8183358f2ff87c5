/// Undoes PNG's five row filters (None, Sub, Up, Average, Paeth) in place, pass by pass.
enum PNGFilters {
    /// Unfilters `raw` (each row: a filter byte, then the filtered bytes) and returns where each pass starts.
    static func unfilter(_ raw: inout [UInt8], header: PNGHeader) throws(ImageDecodingError) -> [Int] {
        var offsets: [Int] = []
        var position = 0
        let stride = header.filterStride
        try raw.withUnsafeMutableBufferPointer { (data) throws(ImageDecodingError) in
            for pass in header.passes {
                offsets.append(position)
                let size = header.passSize(pass)
                guard size.width > 0, size.height > 0 else { continue }
                let rowBytes = header.rowBytes(size.width)
                for row in 0..<size.height {
                    let filter = data[position]
                    let current = data.baseAddress! + position + 1
                    // The row above in the same pass, or none for the pass's first row.
                    let previous: UnsafeMutablePointer<UInt8>? =
                        row > 0 ? data.baseAddress! + position + 1 - (rowBytes + 1) : nil
                    try unfilterRow(current, previous: previous, count: rowBytes, stride: stride, filter: filter)
                    position += rowBytes + 1
                }
            }
        }
        return offsets
    }

    /// One row; `previous` is nil for the first row of a pass (all zeros).
    private static func unfilterRow(
        _ row: UnsafeMutablePointer<UInt8>, previous: UnsafeMutablePointer<UInt8>?, count: Int, stride: Int,
        filter: UInt8
    ) throws(ImageDecodingError) {
        switch filter {
        case 0: return
        case 1:
            for index in stride..<max(stride, count) { row[index] &+= row[index - stride] }
        case 2:
            guard let previous else { return }
            for index in 0..<count { row[index] &+= previous[index] }
        case 3:
            for index in 0..<count {
                let left = index >= stride ? Int(row[index - stride]) : 0
                let up = previous.map { Int($0[index]) } ?? 0
                row[index] &+= UInt8(truncatingIfNeeded: (left + up) >> 1)
            }
        case 4:
            for index in 0..<count {
                let left = index >= stride ? Int(row[index - stride]) : 0
                let up = previous.map { Int($0[index]) } ?? 0
                let upLeft = index >= stride ? previous.map { Int($0[index - stride]) } ?? 0 : 0
                row[index] &+= UInt8(truncatingIfNeeded: paeth(left, up, upLeft))
            }
        default:
            throw ImageDecodingError("the PNG data is corrupt (filter type \(filter))")
        }
    }

    @inline(__always)
    private static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a)
        let pb = abs(p - b)
        let pc = abs(p - c)
        if pa <= pb, pa <= pc { return a }
        return pb <= pc ? b : c
    }
}

/// One colour component of a JPEG frame and its quantised DCT coefficients.
struct JPEGComponent {
    /// The component's identifier in the frame header (scans name components by it).
    var id: UInt8
    /// Horizontal sampling factor, 1...4.
    var horizontalFactor: Int
    /// Vertical sampling factor, 1...4.
    var verticalFactor: Int
    /// Which quantisation table (0...3) its coefficients were quantised with.
    var quantizationTable: Int
    /// Blocks per row and per column, padded to whole MCUs.
    var blocksPerLine = 0
    var blocksPerColumn = 0
    /// The blocks a scan of this component alone covers (the image's own extent, not the MCU padding).
    var scanBlocksPerLine = 0
    var scanBlocksPerColumn = 0
    /// 64 coefficients per block, in natural (row-major) order, blocks row-major.
    var coefficients: [Int16] = []
}

/// A JPEG frame header (SOFn): the image's size, coding process and components.
struct JPEGFrame {
    var width: Int
    var height: Int
    var isProgressive: Bool
    var components: [JPEGComponent]
    var maxHorizontalFactor = 1
    var maxVerticalFactor = 1
    var mcusPerLine = 0
    var mcusPerColumn = 0

    /// Works out the MCU grid and each component's block counts; call once the size is known good.
    mutating func layOut() {
        maxHorizontalFactor = components.map(\.horizontalFactor).max() ?? 1
        maxVerticalFactor = components.map(\.verticalFactor).max() ?? 1
        mcusPerLine = (width + 8 * maxHorizontalFactor - 1) / (8 * maxHorizontalFactor)
        mcusPerColumn = (height + 8 * maxVerticalFactor - 1) / (8 * maxVerticalFactor)
        for index in components.indices {
            let h = components[index].horizontalFactor
            let v = components[index].verticalFactor
            components[index].blocksPerLine = mcusPerLine * h
            components[index].blocksPerColumn = mcusPerColumn * v
            let samplesPerLine = (width * h + maxHorizontalFactor - 1) / maxHorizontalFactor
            let samplesPerColumn = (height * v + maxVerticalFactor - 1) / maxVerticalFactor
            components[index].scanBlocksPerLine = (samplesPerLine + 7) / 8
            components[index].scanBlocksPerColumn = (samplesPerColumn + 7) / 8
        }
    }

    /// All blocks of all components: what the coefficients will take, 128 bytes each.
    var blockCount: Int {
        components.reduce(0) { $0 + $1.blocksPerLine * $1.blocksPerColumn }
    }
}

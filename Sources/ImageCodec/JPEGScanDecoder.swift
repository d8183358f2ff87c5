/// Decodes one scan's entropy-coded data into the frame's coefficients, MCU by MCU.
struct JPEGScanDecoder {
    var reader: JPEGBitReader
    let kind: JPEGScanKind
    let spectralStart: Int
    let spectralEnd: Int
    let low: Int
    let restartInterval: Int
    private var endOfBandRun = 0

    init(
        reader: JPEGBitReader, kind: JPEGScanKind, spectralStart: Int, spectralEnd: Int, low: Int,
        restartInterval: Int
    ) {
        self.reader = reader
        self.kind = kind
        self.spectralStart = spectralStart
        self.spectralEnd = spectralEnd
        self.low = low
        self.restartInterval = restartInterval
    }

    /// Decodes every MCU of the scan: interleaved when it has several components, block by block otherwise.
    mutating func decode(_ frame: inout JPEGFrame, components: inout [JPEGScanComponent])
        throws(ImageDecodingError)
    {
        var mcu = 0
        if components.count == 1 {
            let index = components[0].index
            let perLine = frame.components[index].blocksPerLine
            let lines = frame.components[index].scanBlocksPerColumn
            let columns = frame.components[index].scanBlocksPerLine
            for row in 0..<lines {
                for column in 0..<columns {
                    try startMCU(&mcu, components: &components)
                    try decodeBlock(
                        &frame.components[index].coefficients, at: (row * perLine + column) * 64,
                        component: &components[0])
                }
                guard !reader.isTruncated else { throw ImageDecodingError("truncated JPEG data") }
            }
        } else {
            for mcuRow in 0..<frame.mcusPerColumn {
                for mcuColumn in 0..<frame.mcusPerLine {
                    try startMCU(&mcu, components: &components)
                    for scanIndex in components.indices {
                        let index = components[scanIndex].index
                        let h = frame.components[index].horizontalFactor
                        let v = frame.components[index].verticalFactor
                        let perLine = frame.components[index].blocksPerLine
                        for y in 0..<v {
                            for x in 0..<h {
                                let block = (mcuRow * v + y) * perLine + mcuColumn * h + x
                                try decodeBlock(
                                    &frame.components[index].coefficients, at: block * 64,
                                    component: &components[scanIndex])
                            }
                        }
                    }
                }
                guard !reader.isTruncated else { throw ImageDecodingError("truncated JPEG data") }
            }
        }
        guard !reader.isTruncated else { throw ImageDecodingError("truncated JPEG data") }
    }

    /// Handles a restart marker before the MCU when the restart interval says one is due.
    private mutating func startMCU(_ mcu: inout Int, components: inout [JPEGScanComponent])
        throws(ImageDecodingError)
    {
        if restartInterval > 0, mcu > 0, mcu % restartInterval == 0 {
            guard !reader.isTruncated else { throw ImageDecodingError("truncated JPEG data") }
            reader.restart()
            endOfBandRun = 0
            for index in components.indices { components[index].predictor = 0 }
        }
        mcu += 1
    }

    private mutating func decodeBlock(
        _ coefficients: inout [Int16], at offset: Int, component: inout JPEGScanComponent
    ) throws(ImageDecodingError) {
        switch kind {
        case .baseline: try decodeBaseline(&coefficients, offset, &component)
        case .dcFirst: try decodeDCFirst(&coefficients, offset, &component)
        case .dcRefine: if reader.bit() { coefficients[offset] |= Int16(truncatingIfNeeded: 1 << low) }
        case .acFirst: try decodeACFirst(&coefficients, offset, component)
        case .acRefine: try decodeACRefine(&coefficients, offset, component)
        }
    }

    private mutating func decodeDC(_ component: inout JPEGScanComponent) throws(ImageDecodingError) -> Int {
        guard let table = component.dcTable else { return 0 }
        let size = try reader.decode(table)
        guard size <= 15 else { throw ImageDecodingError("the JPEG data is corrupt (a DC difference)") }
        component.predictor &+= reader.receiveExtend(size)
        return component.predictor
    }

    private mutating func decodeBaseline(
        _ coefficients: inout [Int16], _ offset: Int, _ component: inout JPEGScanComponent
    ) throws(ImageDecodingError) {
        coefficients[offset] = Int16(truncatingIfNeeded: try decodeDC(&component))
        guard let table = component.acTable else { return }
        var k = 1
        while k < 64 {
            let symbol = try reader.decode(table)
            let run = symbol >> 4
            let size = symbol & 15
            if size == 0 {
                if run != 15 { break }
                k += 16
                continue
            }
            k += run
            guard k < 64 else { throw ImageDecodingError("the JPEG data is corrupt (a coefficient past 63)") }
            coefficients[offset + Self.natural[k]] = Int16(truncatingIfNeeded: reader.receiveExtend(size))
            k += 1
        }
    }

    private static let natural = JPEGDecoder.naturalOrder

    private mutating func decodeDCFirst(
        _ coefficients: inout [Int16], _ offset: Int, _ component: inout JPEGScanComponent
    ) throws(ImageDecodingError) {
        coefficients[offset] = Int16(truncatingIfNeeded: try decodeDC(&component) << low)
    }

    private mutating func decodeACFirst(
        _ coefficients: inout [Int16], _ offset: Int, _ component: JPEGScanComponent
    ) throws(ImageDecodingError) {
        if endOfBandRun > 0 {
            endOfBandRun -= 1
            return
        }
        guard let table = component.acTable else { return }
        var k = spectralStart
        while k <= spectralEnd {
            let symbol = try reader.decode(table)
            let run = symbol >> 4
            let size = symbol & 15
            if size == 0 {
                if run < 15 {
                    endOfBandRun = (1 << run) - 1 + reader.bits(run)
                    break
                }
                k += 16
                continue
            }
            k += run
            guard k <= 63 else { throw ImageDecodingError("the JPEG data is corrupt (a coefficient past 63)") }
            coefficients[offset + Self.natural[k]] = Int16(truncatingIfNeeded: reader.receiveExtend(size) << low)
            k += 1
        }
    }

    private mutating func decodeACRefine(
        _ coefficients: inout [Int16], _ offset: Int, _ component: JPEGScanComponent
    ) throws(ImageDecodingError) {
        guard let table = component.acTable else { return }
        let plus = 1 << low
        let minus = -1 << low
        var k = spectralStart
        if endOfBandRun == 0 {
            while k <= spectralEnd {
                let symbol = try reader.decode(table)
                var run = symbol >> 4
                var value = 0
                if symbol & 15 != 0 {
                    value = reader.bit() ? plus : minus
                } else if run != 15 {
                    endOfBandRun = (1 << run) + reader.bits(run)
                    break
                }
                while k <= spectralEnd {
                    let position = offset + Self.natural[k]
                    if coefficients[position] != 0 {
                        refine(&coefficients[position], plus: plus, minus: minus)
                    } else {
                        if run == 0 { break }
                        run -= 1
                    }
                    k += 1
                }
                if value != 0, k <= spectralEnd {
                    coefficients[offset + Self.natural[k]] = Int16(truncatingIfNeeded: value)
                }
                k += 1
            }
        }
        if endOfBandRun > 0 {
            while k <= spectralEnd {
                let position = offset + Self.natural[k]
                if coefficients[position] != 0 { refine(&coefficients[position], plus: plus, minus: minus) }
                k += 1
            }
            endOfBandRun -= 1
        }
    }

    /// Adds the next bit of a coefficient already known to be non-zero (T.81 G.1.2.3).
    private mutating func refine(_ coefficient: inout Int16, plus: Int, minus: Int) {
        guard reader.bit(), Int(coefficient) & plus == 0 else { return }
        coefficient = Int16(truncatingIfNeeded: Int(coefficient) + (coefficient >= 0 ? plus : minus))
    }
}

import EngineSupport
import InferenceTypes

/// Reads the key-value header of a GGUF file, from a file or from memory, trusting nothing in it.
///
/// Every length and count is checked against the bytes left before anything is allocated or skipped, arrays
/// are skipped with an explicit stack (no recursion, so no depth can overflow the thread's stack), and what is
/// kept is capped by `GGUFMetadata.Limits`. The time taken grows with the bytes of the source, at worst.
struct GGUFHeaderParser {
    private var bytes: GGUFByteWindow
    private var offset = 0
    private let limits: GGUFMetadata.Limits

    /// The longest key the format allows (its keys are at most 65535 bytes of ASCII).
    private static var maxKeyBytes: Int { 65535 }

    init(bytes: GGUFByteWindow, limits: GGUFMetadata.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    private var remaining: Int { bytes.count - offset }

    /// The scalar values of the header by key; arrays and over-long strings are skipped.
    mutating func parse() throws(ModelFileError) -> [String: GGUFMetadata.Value] {
        guard remaining >= 4, Array(try take(4)) == Array("GGUF".utf8) else { throw .notGGUF }
        let version = try integer(UInt32.self)
        guard version >= 2 else { throw .unsupportedGGUFVersion(version) }
        _ = try integer(UInt64.self)  // tensor count
        let count = try integer(UInt64.self)
        // The smallest entry: an empty key (8), a type (4) and a one-byte value.
        try claim(count, of: 13) { "\(count) keys" }
        var values: [String: GGUFMetadata.Value] = [:]
        var keptBytes = 0
        var left = count
        while left > 0 {
            left -= 1
            let key = try key()
            let type = try integer(UInt32.self)
            guard let value = try value(ofType: type, key: key) else { continue }
            keptBytes += key.utf8.count + 32
            if case .string(let text) = value { keptBytes += text.utf8.count }
            guard keptBytes <= limits.maxMetadataBytes else { throw .metadataTooLarge(limit: limits.maxMetadataBytes) }
            values[key] = value
        }
        return values
    }

    // MARK: Values

    private mutating func key() throws(ModelFileError) -> String {
        let length = try uint64()
        guard length <= Self.maxKeyBytes else { throw .keyTooLong(bytes: length, limit: Self.maxKeyBytes) }
        try claim(length, of: 1) { "a key of \(length) bytes" }
        return String(decoding: try take(Int(length)), as: UTF8.self)
    }

    /// The value of a GGUF type code; arrays, and strings longer than the limit, are skipped (`nil`).
    private mutating func value(ofType type: UInt32, key: String) throws(ModelFileError) -> GGUFMetadata.Value? {
        switch type {
        case 0: return .integer(Int64(try integer(UInt8.self)))
        case 1: return .integer(Int64(try integer(Int8.self)))
        case 2: return .integer(Int64(try integer(UInt16.self)))
        case 3: return .integer(Int64(try integer(Int16.self)))
        case 4: return .integer(Int64(try integer(UInt32.self)))
        case 5: return .integer(Int64(try integer(Int32.self)))
        case 6: return .float(Double(Float(bitPattern: try integer(UInt32.self))))
        case 7: return .bool(try integer(UInt8.self) != 0)
        case 8: return try string(key: key)
        case 9:
            try skipArray()
            return nil
        case 10: return .integer(Int64(truncatingIfNeeded: try integer(UInt64.self)))
        case 11: return .integer(try integer(Int64.self))
        case 12: return .float(Double(bitPattern: try integer(UInt64.self)))
        default: throw .unknownGGUFType(type)
        }
    }

    /// A string value; one longer than the limit is skipped, unless it is a chat template, which the server
    /// could not do without.
    private mutating func string(key: String) throws(ModelFileError) -> GGUFMetadata.Value? {
        let length = try stringLength()
        guard length <= limits.maxStringBytes else {
            if key.hasPrefix("tokenizer.chat_template") {
                throw .valueTooLarge(key: key, bytes: length, limit: limits.maxStringBytes)
            }
            try skip(length)
            return nil
        }
        return .string(String(decoding: try take(length), as: UTF8.self))
    }

    private mutating func stringLength() throws(ModelFileError) -> Int {
        let length = try uint64()
        try claim(length, of: 1) { "a string of \(length) bytes" }
        return Int(length)
    }

    /// Skips an array and every array inside it, one level of the stack per open array.
    private mutating func skipArray() throws(ModelFileError) {
        var open: [(elementType: UInt32, left: UInt64)] = [try arrayHeader()]
        while let top = open.last {
            let (elementType, left) = top
            guard left > 0 else {
                open.removeLast()
                continue
            }
            if let size = Self.fixedSize(elementType) {
                // `arrayHeader` checked that `left * size` bytes remain.
                try skip(Int(left) * size)
                open[open.count - 1].left = 0
                continue
            }
            if elementType == 8 {
                try skipStrings(left)
                open[open.count - 1].left = 0
            } else {
                open[open.count - 1].left = left - 1
                guard open.count < limits.maxArrayDepth else { throw .nestedTooDeep(limit: limits.maxArrayDepth) }
                open.append(try arrayHeader())
            }
        }
    }

    /// Skips `count` strings, each checked against the bytes that remain: the vocabulary's tens of thousands.
    private mutating func skipStrings(_ count: UInt64) throws(ModelFileError) {
        // A countdown, not a `Range<UInt64>`, whose generic iteration costs more than the work in debug builds.
        var left = count
        while left > 0 {
            left -= 1
            let index = try read(8)
            let length = bytes.uint64(index)
            guard length <= UInt64(remaining) else {
                throw .claimExceedsFile(claim: "a string of \(length) bytes", remainingBytes: remaining)
            }
            offset += Int(length)
        }
    }

    /// An array's element type and count, checked against the bytes that remain.
    private mutating func arrayHeader() throws(ModelFileError) -> (elementType: UInt32, left: UInt64) {
        let elementType = try integer(UInt32.self)
        let count = try integer(UInt64.self)
        guard let size = Self.minimumSize(elementType) else { throw .unknownGGUFType(elementType) }
        try claim(count, of: size) { "an array of \(count) elements" }
        return (elementType, count)
    }

    /// The size in bytes of a fixed-size GGUF type, `nil` for strings, arrays and unknown types.
    private static func fixedSize(_ type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 10, 11, 12: 8
        default: nil
        }
    }

    /// The fewest bytes a value of a GGUF type takes: a string at least its 8-byte length, an array its type
    /// and count; `nil` for unknown types.
    private static func minimumSize(_ type: UInt32) -> Int? {
        switch type {
        case 8: 8
        case 9: 12
        default: fixedSize(type)
        }
    }

    // MARK: Bytes

    /// Throws unless `count` items of `size` bytes fit in what remains; `describe` names them for the error.
    private func claim(_ count: UInt64, of size: Int, _ describe: () -> String) throws(ModelFileError) {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: UInt64(size))
        guard !overflow, bytes <= UInt64(remaining) else {
            throw .claimExceedsFile(claim: describe(), remainingBytes: remaining)
        }
    }

    /// Makes the next `count` bytes available, moves past them and says where they start in the window.
    /// Only bytes inside the file and before `maxHeaderBytes` are read: the limit bounds the work of a header.
    private mutating func read(_ count: Int) throws(ModelFileError) -> Int {
        guard count <= remaining else { throw .truncated }
        guard offset + count <= limits.maxHeaderBytes else { throw .headerTooLarge(limit: limits.maxHeaderBytes) }
        let index = try bytes.load(offset, count)
        offset += count
        return index
    }

    private mutating func take(_ count: Int) throws(ModelFileError) -> ArraySlice<UInt8> {
        let index = try read(count)
        return bytes.slice(index, count)
    }

    private mutating func skip(_ count: Int) throws(ModelFileError) {
        guard count <= remaining else { throw .truncated }
        offset += count
    }

    private mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws(ModelFileError) -> T {
        let index = try read(MemoryLayout<T>.size)
        return bytes.integer(index, as: T.self)
    }

    /// `integer(UInt64.self)` without the generic cost, for the length of every string in a vocabulary.
    private mutating func uint64() throws(ModelFileError) -> UInt64 {
        // Two statements: in `bytes.uint64(try read(8))` the window would be read before `read` refills it.
        let index = try read(8)
        return bytes.uint64(index)
    }
}

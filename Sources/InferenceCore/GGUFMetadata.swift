import Glibc

/// The key-value header of a GGUF file, read without loading the model: architecture, context length,
/// chat template, size label. Arrays (the vocabulary) are skipped, not kept.
public struct GGUFMetadata: Sendable, Equatable {
    /// A header value this reader keeps: numbers, booleans and strings.
    public enum Value: Sendable, Equatable {
        case integer(Int64), float(Double), bool(Bool), string(String)
    }

    /// The values by key.
    public var values: [String: Value]

    /// Why a header could not be read.
    public struct ReadError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the header of the file at `path`.
    public init(path: String) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw ReadError(description: "cannot open \(path)") }
        defer { close(descriptor) }
        var reader = GGUFReader(descriptor: descriptor)
        guard Array(try reader.bytes(4)) == Array("GGUF".utf8) else {
            throw ReadError(description: "\(path) is not a GGUF file")
        }
        let version = try reader.integer(UInt32.self)
        guard version >= 2 else { throw ReadError(description: "GGUF version \(version) is not supported") }
        _ = try reader.integer(UInt64.self)  // tensor count
        let count = try reader.integer(UInt64.self)
        guard count < 1_000_000 else { throw ReadError(description: "\(path) has an implausible header") }
        var values: [String: Value] = [:]
        for _ in 0..<count {
            let key = try reader.string()
            let type = try reader.integer(UInt32.self)
            if let value = try reader.value(ofType: type) { values[key] = value }
        }
        self.values = values
    }

    /// A string value.
    public func string(_ key: String) -> String? {
        if case .string(let value)? = values[key] { return value }
        return nil
    }

    /// An integer value.
    public func integer(_ key: String) -> Int64? {
        if case .integer(let value)? = values[key] { return value }
        return nil
    }

    /// `general.architecture`, e.g. `llama` or `qwen2`.
    public var architecture: String? { string("general.architecture") }

    /// `<arch>.context_length`.
    public var contextLength: Int? {
        architecture.flatMap { integer("\($0).context_length") }.map(Int.init)
    }

    /// `<arch>.embedding_length`.
    public var embeddingLength: Int? {
        architecture.flatMap { integer("\($0).embedding_length") }.map(Int.init)
    }

    /// `tokenizer.chat_template`.
    public var chatTemplate: String? { string("tokenizer.chat_template") }
}

/// Sequential little-endian reads of a GGUF header, through a 1 MiB buffer; skipping does not copy.
private struct GGUFReader {
    let descriptor: Int32
    private var buffer: [UInt8] = []
    private var position = 0

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Makes at least `count` unread bytes available in the buffer.
    private mutating func ensure(_ count: Int) throws {
        guard buffer.count - position < count else { return }
        buffer.removeFirst(position)
        position = 0
        while buffer.count < count {
            let start = buffer.count
            let wanted = max(1 << 20, count - start)
            buffer.append(contentsOf: repeatElement(0, count: wanted))
            let read = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + start, wanted) }
            buffer.removeLast(wanted - max(read, 0))
            guard read > 0 else { throw GGUFMetadata.ReadError(description: "the GGUF header is truncated") }
        }
    }

    mutating func bytes(_ count: Int) throws -> ArraySlice<UInt8> {
        try ensure(count)
        defer { position += count }
        return buffer[position..<position + count]
    }

    mutating func skip(_ count: Int) throws {
        var remaining = count
        while remaining > 0 {
            let step = min(remaining, 1 << 20)
            try ensure(step)
            position += step
            remaining -= step
        }
    }

    mutating func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        let size = MemoryLayout<T>.size
        try ensure(size)
        var value = T(0)
        for index in (0..<size).reversed() { value = (value << 8) | T(buffer[position + index]) }
        position += size
        return value
    }

    mutating func string() throws -> String {
        String(decoding: try bytes(try stringLength()), as: UTF8.self)
    }

    private mutating func stringLength() throws -> Int {
        let length = try integer(UInt64.self)
        guard length < 64 << 20 else { throw GGUFMetadata.ReadError(description: "a GGUF string is implausibly long") }
        return Int(length)
    }

    /// The size in bytes of a fixed-size GGUF type, `nil` for strings and arrays.
    private static func fixedSize(_ type: UInt32) -> Int? {
        switch type {
        case 0, 1, 7: 1
        case 2, 3: 2
        case 4, 5, 6: 4
        case 10, 11, 12: 8
        default: nil
        }
    }

    /// The value of a GGUF type code; arrays are skipped (`nil`).
    mutating func value(ofType type: UInt32) throws -> GGUFMetadata.Value? {
        switch type {
        case 0: return .integer(Int64(try integer(UInt8.self)))
        case 1: return .integer(Int64(try integer(Int8.self)))
        case 2: return .integer(Int64(try integer(UInt16.self)))
        case 3: return .integer(Int64(try integer(Int16.self)))
        case 4: return .integer(Int64(try integer(UInt32.self)))
        case 5: return .integer(Int64(try integer(Int32.self)))
        case 6: return .float(Double(Float(bitPattern: try integer(UInt32.self))))
        case 7: return .bool(try integer(UInt8.self) != 0)
        case 8: return .string(try string())
        case 9:
            try skipArray()
            return nil
        case 10: return .integer(Int64(truncatingIfNeeded: try integer(UInt64.self)))
        case 11: return .integer(try integer(Int64.self))
        case 12: return .float(Double(bitPattern: try integer(UInt64.self)))
        default: throw GGUFMetadata.ReadError(description: "unknown GGUF value type \(type)")
        }
    }

    private mutating func skipArray() throws {
        let elementType = try integer(UInt32.self)
        let count = try integer(UInt64.self)
        guard count < 1 << 32 else { throw GGUFMetadata.ReadError(description: "a GGUF array is implausibly long") }
        if let size = Self.fixedSize(elementType) {
            try skip(size * Int(count))
        } else if elementType == 8 {
            for _ in 0..<count { try skip(try stringLength()) }
        } else {
            for _ in 0..<count { _ = try value(ofType: elementType) }
        }
    }
}

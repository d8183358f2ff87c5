import Foundation

/// Writes GGUF headers byte by byte, so that tests build each malformed or hostile file they need.
public struct GGUFBuilder: Sendable {
    /// GGUF value type codes.
    public enum ValueType: UInt32, Sendable {
        case uint8 = 0, int8 = 1, uint32 = 4, string = 8, array = 9
    }

    /// The bytes written so far; a test may change any of them.
    public var bytes: [UInt8] = []

    /// Starts a header: magic, version, tensor count and the number of keys that follow.
    public init(keyCount: UInt64, version: UInt32 = 3) {
        bytes = Array("GGUF".utf8)
        uint32(version)
        uint64(0)
        uint64(keyCount)
    }

    /// A little-endian `UInt32`.
    public mutating func uint32(_ value: UInt32) {
        bytes += withUnsafeBytes(of: value.littleEndian, Array.init)
    }

    /// A little-endian `UInt64`.
    public mutating func uint64(_ value: UInt64) {
        bytes += withUnsafeBytes(of: value.littleEndian, Array.init)
    }

    /// A GGUF string: its length, then its bytes.
    public mutating func string(_ text: String) {
        uint64(UInt64(text.utf8.count))
        bytes += Array(text.utf8)
    }

    /// A key and its value type.
    public mutating func key(_ name: String, _ type: ValueType) {
        string(name)
        uint32(type.rawValue)
    }

    /// A string entry.
    public mutating func stringEntry(_ name: String, _ value: String) {
        key(name, .string)
        string(value)
    }

    /// A `uint32` entry.
    public mutating func uint32Entry(_ name: String, _ value: UInt32) {
        key(name, .uint32)
        uint32(value)
    }

    /// An array entry of `depth` arrays, each holding the next, the innermost an empty `uint32` array:
    /// 12 bytes a level.
    public mutating func nestedArrays(_ name: String, depth: Int) {
        key(name, .array)
        bytes.reserveCapacity(bytes.count + 12 * depth)
        for _ in 1..<depth {
            uint32(ValueType.array.rawValue)
            uint64(1)
        }
        uint32(ValueType.uint32.rawValue)
        uint64(0)
    }

    /// A small valid header of a `llama` model.
    public static func valid() -> GGUFBuilder {
        var builder = GGUFBuilder(keyCount: 3)
        builder.stringEntry("general.architecture", "llama")
        builder.uint32Entry("llama.context_length", 2048)
        builder.stringEntry("tokenizer.chat_template", "{{ messages }}")
        return builder
    }

    /// Writes the bytes to `path`.
    public func write(to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }
}

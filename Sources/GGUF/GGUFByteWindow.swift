import EngineSupport
import Glibc
import InferenceTypes

/// The bytes of a GGUF header, from an array in memory or from an open regular file through a window of
/// 1 MiB, so that skipping the vocabulary reads only the lengths it must and no header is read whole.
struct GGUFByteWindow {
    /// The number of bytes there are, which bounds every length and count a header claims.
    let count: Int
    /// The open file the window is refilled from; `nil` when all the bytes are in memory. Its owner closes it.
    private let descriptor: Int32?
    private var window: [UInt8]
    /// The offset of `window[0]` in the file.
    private var windowStart = 0
    /// How many bytes of `window` hold the file's bytes.
    private var windowCount: Int

    private static let windowSize = 1 << 20

    /// All the bytes, in memory.
    init(bytes: [UInt8]) {
        count = bytes.count
        descriptor = nil
        window = bytes
        windowCount = bytes.count
    }

    /// The bytes of an open file of `count` bytes.
    init(descriptor: Int32, count: Int) {
        self.count = count
        self.descriptor = descriptor
        window = []
        windowCount = 0
    }

    /// Makes `length` bytes from `offset` available and says where they start in the window. The caller has
    /// checked that they are inside `count`.
    mutating func load(_ offset: Int, _ length: Int) throws(ModelFileError) -> Int {
        if offset >= windowStart, offset + length <= windowStart + windowCount { return offset - windowStart }
        guard let descriptor else { throw .truncated }
        let size = min(max(Self.windowSize, length), count - offset)
        if window.count < size { window = [UInt8](repeating: 0, count: size) }
        windowStart = offset
        windowCount = 0
        while windowCount < size {
            let filled = windowCount
            // The pointer stays inside `window`, which holds `size - filled` more bytes from `filled` on.
            let read = window.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, size - filled, off_t(offset + filled))
            }
            if read < 0, errno == EINTR { continue }
            guard read > 0 else {
                // An error, or the file shrank after it was opened.
                let reason = read < 0 ? ModelFile.reason(errno) : nil
                windowCount = 0
                throw reason.map { .unreadable(reason: $0) } ?? .truncated
            }
            windowCount += read
        }
        return 0
    }

    /// The bytes at `index` of the window.
    func slice(_ index: Int, _ length: Int) -> ArraySlice<UInt8> {
        window[index..<index + length]
    }

    /// The little-endian integer at `index` of the window.
    func integer<T: FixedWidthInteger>(_ index: Int, as type: T.Type) -> T {
        // `load` made `MemoryLayout<T>.size` bytes from `index` available.
        window.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: index, as: T.self)) }
    }

    /// The little-endian `UInt64` at `index` of the window (the lengths of every string).
    func uint64(_ index: Int) -> UInt64 {
        // `load` made 8 bytes from `index` available.
        window.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(fromByteOffset: index, as: UInt64.self)) }
    }
}

import Glibc

/// GGUF bytes read from an open regular file through a window of 1 MiB, so that skipping the vocabulary
/// reads only the lengths it must and a header is never read into memory whole.
struct GGUFFileSource: GGUFByteSource {
    /// The open file; its owner closes it.
    let descriptor: Int32
    /// The file's size when it was opened.
    let count: Int
    private var window: [UInt8] = []
    private var windowStart = 0

    private static let windowSize = 1 << 20

    init(descriptor: Int32, count: Int) {
        self.descriptor = descriptor
        self.count = count
    }

    mutating func bytes(at offset: Int, length: Int) throws(ModelFileError) -> ArraySlice<UInt8> {
        if offset >= windowStart, offset + length <= windowStart + window.count {
            return window[(offset - windowStart)..<(offset - windowStart + length)]
        }
        let size = min(max(Self.windowSize, length), count - offset)
        window.removeAll(keepingCapacity: true)
        window.append(contentsOf: repeatElement(0, count: size))
        windowStart = offset
        var filled = 0
        while filled < size {
            // The pointer stays inside `window`, which holds `size - filled` more bytes from `filled` on.
            let read = window.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, size - filled, off_t(offset + filled))
            }
            if read < 0, errno == EINTR { continue }
            guard read >= 0 else { throw .unreadable(reason: ModelFile.reason(errno)) }
            // The file shrank after it was opened.
            guard read > 0 else {
                window.removeAll(keepingCapacity: true)
                throw .truncated
            }
            filled += read
        }
        return window[0..<length]
    }
}

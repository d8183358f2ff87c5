/// What the first bytes of a pulled file must be, so that an error page or an API answer saved under a model's
/// name is refused before it is kept.
///
/// A `.gguf` file starts with `GGUF` and a little-endian version of 2 or 3. The `.rkllm` format is not public:
/// a file is accepted when it starts with the simulator's `RKLLMSIM1`, or otherwise when its start is binary,
/// that is neither HTML, JSON nor plain text (the first bytes are not all printable ASCII).
enum ModelFileSignature {
    /// The bytes needed for a verdict; fewer only when the whole file is shorter.
    static let neededBytes = 64

    /// Why `head` (the file's first bytes, at most `neededBytes` unless the file is shorter) is not the start
    /// of a file named `fileName`: what it looks like instead; `nil` when it is.
    static func mismatch(_ head: some Collection<UInt8>, fileName: String) -> String? {
        let bytes = Array(head.prefix(neededBytes))
        if fileName.lowercased().hasSuffix(".gguf") {
            if bytes.count >= 8, bytes[0..<4] == [0x47, 0x47, 0x55, 0x46][...], [2, 3].contains(bytes[4]),
                bytes[5..<8].allSatisfy({ $0 == 0 })
            {
                return nil
            }
            return lookalike(bytes) ?? "a file that does not start with GGUF's magic (GGUF, version 2 or 3)"
        }
        if bytes.starts(with: Array("RKLLMSIM1".utf8)) { return nil }
        return lookalike(bytes) ?? (bytes.isEmpty ? "an empty file" : nil)
    }

    /// The expected format, for messages.
    static func expected(fileName: String) -> String {
        fileName.lowercased().hasSuffix(".gguf") ? "a GGUF model file" : "an RKLLM model file"
    }

    /// What text-like bytes are: an HTML page, JSON, text; `nil` when they are binary.
    private static func lookalike(_ bytes: [UInt8]) -> String? {
        var text = bytes[...]
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text = text.dropFirst(3) }
        text = text.drop { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        guard let first = text.first else { return bytes.isEmpty ? nil : "only white space" }
        switch first {
        case UInt8(ascii: "<"): return "an HTML page"
        case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "\""): return "JSON"
        default: break
        }
        let isText = text.allSatisfy { (0x20...0x7E).contains($0) || [0x09, 0x0A, 0x0D].contains($0) }
        return isText ? "text" : nil
    }
}

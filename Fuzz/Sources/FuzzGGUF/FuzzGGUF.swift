import FuzzSupport
import GGUF
import Glibc
import InferenceTypes

/// libFuzzer's entry point: reads the input as a GGUF header and, unless it starts with the GGUF magic, as a
/// model file name (names are slow to parse, and header-shaped inputs gain nothing from being names too).
///
/// Any result is fine, a `ReadError` included; a crash, a hang or unbounded memory is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    FuzzStack.run(kilobytes: 256) {
        if let metadata = try? readMetadata(bytes) {
            useMetadata(metadata)
        }
        if !bytes.starts(with: ggufMagic) { nameModel(bytes) }
    }
    return 0
}

/// What a GGUF file starts with.
let ggufMagic = Array("GGUF".utf8)

/// The header read from memory, through the same parser the file reader uses.
func readMetadata(_ bytes: [UInt8]) throws -> GGUFMetadata {
    try GGUFMetadata(bytes: bytes)
}

/// Asks for everything a model listing asks for, so derived values are computed too.
func useMetadata(_ metadata: GGUFMetadata) {
    var seen = metadata.values.count
    seen &+= metadata.architecture?.utf8.count ?? 0
    seen &+= metadata.contextLength ?? 0
    seen &+= metadata.embeddingLength ?? 0
    seen &+= metadata.chatTemplate?.utf8.count ?? 0
    seen &+= Int(truncatingIfNeeded: metadata.integer("general.file_type") ?? 0)
    blackHole(seen)
}

/// The input as a file name: its first `NAME_MAX` bytes, the longest a directory entry can be.
func nameModel(_ bytes: [UInt8]) {
    let fileName = String(decoding: bytes.prefix(Int(NAME_MAX)), as: UTF8.self)
    let rkllm = RKLLMFileName(fileName)
    var seen = rkllm.friendlyName.utf8.count &+ rkllm.contextLength
    seen &+= rkllm.platform?.utf8.count ?? 0
    seen &+= rkllm.quantization?.utf8.count ?? 0
    seen &+= ModelNaming.friendlyName(forGGUF: fileName).utf8.count
    seen &+= ModelNaming.quantization(forGGUF: fileName)?.utf8.count ?? 0
    blackHole(seen)
}

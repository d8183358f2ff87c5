import Testing

@testable import ModelDownload

@Suite("ModelReference")
struct ModelReferenceTests {
    private let noEnvironment: [String: String] = [:]
    private let digest = String(repeating: "ab", count: 32)

    @Test("an https URL of a .gguf file downloads that URL into its last path component")
    func plainURL() throws {
        let reference = try ModelReference(
            parsing: "https://example.com/models/SmolLM2-135M.Q4_1.gguf", environment: noEnvironment)
        #expect(reference.url == "https://example.com/models/SmolLM2-135M.Q4_1.gguf")
        #expect(reference.fileName == "SmolLM2-135M.Q4_1.gguf")
        #expect(reference.source == .url)
        #expect(reference.expectedSHA256 == nil)
    }

    @Test("a #sha256= fragment gives the digest, lower-cased, and is not part of the URL")
    func fragmentDigest() throws {
        let reference = try ModelReference(
            parsing: "http://127.0.0.1:9/a/model.rkllm#sha256=" + digest.uppercased(), environment: noEnvironment)
        #expect(reference.url == "http://127.0.0.1:9/a/model.rkllm")
        #expect(reference.fileName == "model.rkllm")
        #expect(reference.expectedSHA256 == digest)
    }

    @Test("a fragment that is not a 64-digit sha256 is refused")
    func badFragment() {
        #expect(throws: ModelDownloadError.self) {
            try ModelReference(parsing: "https://example.com/m.gguf#sha256=abc", environment: noEnvironment)
        }
        #expect(throws: ModelDownloadError.self) {
            try ModelReference(parsing: "https://example.com/m.gguf#md5=" + digest, environment: noEnvironment)
        }
    }

    @Test("the file name is percent-decoded; the query is not part of it")
    func percentDecodedName() throws {
        let reference = try ModelReference(
            parsing: "https://example.com/My%20Model.GGUF?download=1", environment: noEnvironment)
        #expect(reference.fileName == "My Model.GGUF")
        #expect(reference.url == "https://example.com/My%20Model.GGUF?download=1")
    }

    @Test(
        "hf.co, huggingface.co and owner/repo:file map to the resolve URL on huggingface.co",
        arguments: [
            "hf.co/bartowski/SmolLM2-135M-GGUF/SmolLM2-135M-Q4_K_M.gguf",
            "huggingface.co/bartowski/SmolLM2-135M-GGUF/SmolLM2-135M-Q4_K_M.gguf",
            "bartowski/SmolLM2-135M-GGUF:SmolLM2-135M-Q4_K_M.gguf",
        ])
    func huggingFace(reference text: String) throws {
        let reference = try ModelReference(parsing: text, environment: noEnvironment)
        #expect(
            reference.url
                == "https://huggingface.co/bartowski/SmolLM2-135M-GGUF/resolve/main/SmolLM2-135M-Q4_K_M.gguf")
        #expect(reference.fileName == "SmolLM2-135M-Q4_K_M.gguf")
        #expect(
            reference.source
                == .huggingFace(repository: "bartowski/SmolLM2-135M-GGUF", file: "SmolLM2-135M-Q4_K_M.gguf"))
    }

    @Test("a file in a folder of the repository keeps its folder in the URL and its own name on disk")
    func huggingFaceSubfolder() throws {
        let reference = try ModelReference(parsing: "hf.co/o/r/q4/part one.gguf", environment: noEnvironment)
        #expect(reference.url == "https://huggingface.co/o/r/resolve/main/q4/part%20one.gguf")
        #expect(reference.fileName == "part one.gguf")
    }

    @Test("ROCKCHIP_LLAMA_HF_ENDPOINT wins over HF_ENDPOINT, which wins over huggingface.co")
    func endpointOverride() throws {
        let both = ["ROCKCHIP_LLAMA_HF_ENDPOINT": "http://127.0.0.1:8000/", "HF_ENDPOINT": "https://mirror.example"]
        #expect(
            try ModelReference(parsing: "o/r:m.gguf", environment: both).url
                == "http://127.0.0.1:8000/o/r/resolve/main/m.gguf")
        let mirror = ["HF_ENDPOINT": "https://mirror.example", "ROCKCHIP_LLAMA_HF_ENDPOINT": ""]
        #expect(
            try ModelReference(parsing: "o/r:m.gguf", environment: mirror).url
                == "https://mirror.example/o/r/resolve/main/m.gguf")
    }

    @Test("a Hugging Face page URL (blob) is downloaded through resolve, and its digest is announced")
    func huggingFaceBlobURL() throws {
        let reference = try ModelReference(
            parsing: "https://huggingface.co/o/r/blob/main/m.gguf", environment: noEnvironment)
        #expect(reference.url == "https://huggingface.co/o/r/resolve/main/m.gguf")
        #expect(reference.source == .huggingFace(repository: "o/r", file: "m.gguf"))
    }

    @Test(
        "bare Ollama names and other forms are refused with the accepted forms in the message",
        arguments: ["llama3:8b", "llama3", "hf.co/bartowski/SmolLM2-135M-GGUF:Q4_K_M", "ftp://example.com/m.gguf", ""])
    func unsupported(reference: String) {
        #expect {
            try ModelReference(parsing: reference, environment: noEnvironment)
        } throws: { error in
            guard let error = error as? ModelDownloadError, case .unsupportedReference = error else { return false }
            return error.description.contains("hf.co/<owner>/<repo>/<file>")
                && error.description.contains("<owner>/<repo>:<file>") && error.isClientError
        }
    }

    @Test(
        "a file that is not .gguf or .rkllm, or whose name could leave the directory, is refused",
        arguments: [
            "https://example.com/model.bin", "https://example.com/x/..%2F..%2Fevil.gguf",
            "https://example.com/.hidden.gguf", "library/llama3:8b", "o/r:../m.gguf", "https://example.com/a/",
        ])
    func invalidFileNames(reference: String) {
        #expect {
            try ModelReference(parsing: reference, environment: noEnvironment)
        } throws: { error in
            guard let error = error as? ModelDownloadError else { return false }
            switch error {
            case .invalidFileName, .unsupportedReference: return error.isClientError
            default: return false
            }
        }
    }

    @Test("the extension check ignores case")
    func extensionCase() throws {
        #expect(try ModelReference.validatedFileName("Model.RKLLM") == "Model.RKLLM")
        #expect(throws: ModelDownloadError.self) { try ModelReference.validatedFileName("a..b.gguf") }
    }
}

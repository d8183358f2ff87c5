import CRKLLM
import Glibc

/// The image part of one `rkllm_run` (`RKLLM_INPUT_MULTIMODAL`): every image's embeddings, one after the other,
/// and what the runtime needs to place them at the prompt's image markers. It owns C copies of the embeddings
/// and tags, which the runtime reads during the whole run: keep it alive until `rkllm_run` returns.
final class RKLLMMultimodalInput {
    let imageCount: Int
    let imageTokens: Int
    let width: Int
    let height: Int
    /// How long the encoder took for these images, in milliseconds (counted in the prompt's evaluation).
    let encodingMillis: Float?
    private let embeddings: UnsafeMutableBufferPointer<Float>
    private let start: UnsafeMutablePointer<CChar>
    private let end: UnsafeMutablePointer<CChar>
    private let content: UnsafeMutablePointer<CChar>

    /// The input of `imageCount` images of `imageTokens` rows each, their embeddings concatenated.
    init(
        embeddings: [Float], imageCount: Int, imageTokens: Int, width: Int, height: Int,
        tags: RKLLMVisionConfiguration.Tags, encodingMillis: Float? = nil
    ) {
        self.encodingMillis = encodingMillis
        self.imageCount = imageCount
        self.imageTokens = imageTokens
        self.width = width
        self.height = height
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, embeddings.count))
        _ = buffer.initialize(from: embeddings)
        self.embeddings = buffer
        start = Self.copy(tags.start)
        end = Self.copy(tags.end)
        content = Self.copy(tags.content)
    }

    deinit {
        embeddings.deallocate()
        for pointer in [start, end, content] { pointer.deallocate() }
    }

    /// A C copy of `text`, freed with `deallocate`.
    static func copy(_ text: String) -> UnsafeMutablePointer<CChar> {
        text.withCString { source in
            let length = strlen(source) + 1
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: length)
            copy.initialize(from: source, count: length)
            return copy
        }
    }

    /// The 1.2 union member; the tags are the handle's, set in `RKLLMParam` at init.
    func layout12(prompt: UnsafeMutablePointer<CChar>) -> rkllm12_multimodal_input {
        rkllm12_multimodal_input(
            prompt: prompt, image_embed: embeddings.baseAddress, n_image_tokens: imageTokens, n_image: imageCount,
            image_width: width, image_height: height)
    }

    /// The 1.3 union member: the image block carries the tags; no video.
    func layout13(prompt: UnsafeMutablePointer<CChar>) -> rkllm13_multimodal_input {
        rkllm13_multimodal_input(
            prompt: prompt,
            image: rkllm13_image_input(
                image_embed: embeddings.baseAddress, n_image_tokens: imageTokens, n_image: imageCount,
                image_start: UnsafePointer(start), image_end: UnsafePointer(end), image_content: UnsafePointer(content),
                image_width: width, image_height: height),
            video: rkllm13_video_input())
    }
}

extension RKLLMHandle {
    /// Makes `input` the multimodal input of `multimodal` with `prompt` (which holds one marker per image).
    static func makeMultimodal(
        _ input: inout rkllm12_input, prompt: UnsafeMutablePointer<CChar>, _ multimodal: RKLLMMultimodalInput
    ) {
        input.input_type = RKLLM_INPUT_MULTIMODAL
        input.multimodal_input = multimodal.layout12(prompt: prompt)
    }

    /// Makes `input` the multimodal input of `multimodal` with `prompt` (which holds one marker per image).
    static func makeMultimodal(
        _ input: inout rkllm13_input, prompt: UnsafeMutablePointer<CChar>, _ multimodal: RKLLMMultimodalInput
    ) {
        input.input_type = RKLLM_INPUT_MULTIMODAL
        input.multimodal_input = multimodal.layout13(prompt: prompt)
    }

    /// 1.2 takes the image tags once, in `RKLLMParam` at init: C copies the handle keeps for its life (and
    /// deallocates once destroyed).
    static func imageTags(of configuration: RKLLMModelConfiguration) -> [UnsafeMutablePointer<CChar>] {
        guard let tags = configuration.vision?.tags else { return [] }
        return [tags.start, tags.end, tags.content].map(RKLLMMultimodalInput.copy)
    }

    /// Sets the 1.2 image tags (`imageTags`, three pointers or none) in the init parameter.
    static func configureImageTags(_ param: inout rkllm12_param, _ tags: [UnsafeMutablePointer<CChar>]) {
        guard tags.count == 3 else { return }
        param.img_start = UnsafePointer(tags[0])
        param.img_end = UnsafePointer(tags[1])
        param.img_content = UnsafePointer(tags[2])
    }
}

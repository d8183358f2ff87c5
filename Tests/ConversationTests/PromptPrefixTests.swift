import Conversation
import Foundation
import InferenceTypes
import Testing

/// The rendered start of a conversation that a prompt cache holds (`promptPrefix(of:)`) and the cache prefix
/// `prepare` gives engines that cache by prefix.
@Suite struct PromptPrefixTests {
    static let system = ChatMessage(role: .system, content: "You are a careful assistant.")
    static let user = ChatMessage(role: .user, content: "What is 2 + 2?")

    static func profile(_ templateFile: String?, wantsCachePrefix: Bool = false) throws -> ConversationProfile {
        let info = ModelInfo(
            architecture: "qwen3", trainedContextLength: 4096, contextLength: 4096, parameterCount: 0,
            weightsBytes: 0, chatTemplate: try templateFile.map { try ChatTemplateRendererTests.template($0) },
            quantization: nil, bosToken: "<s>", eosToken: "</s>")
        return try ConversationProfile(info: info, modelName: "test-model", wantsCachePrefix: wantsCachePrefix)
    }

    @Test(arguments: [
        "SmolLM2-135M-Instruct.jinja", "Qwen3-0.6B.jinja", "Qwen2.5-7B-Instruct.jinja", "Llama-3.2-3B-Instruct.jinja",
        "phi-4.jinja",
    ])
    func theSystemTurnIsThePrefixOfEveryConversation(template: String) async throws {
        let profile = try Self.profile(template)
        let prefix = try #require(await profile.promptPrefix(of: [Self.system, Self.user]))
        #expect(prefix.contains(Self.system.content))
        #expect(!prefix.contains(Self.user.content), "only the system turn")
        let renderer = try #require(profile.renderer)
        for conversation in [
            [Self.system, Self.user], [Self.system, Self.user, .init(role: .assistant, content: "4")],
        ] {
            let prompt = try renderer.render(
                messages: conversation, tools: [], addGenerationPrompt: true, variables: [:])
            #expect(prompt.hasPrefix(prefix))
        }
    }

    @Test func noSystemMessageOrNoTemplateGivesNoPrefix() async throws {
        #expect(await (try Self.profile("SmolLM2-135M-Instruct.jinja")).promptPrefix(of: [Self.user]) == nil)
        #expect(await (try Self.profile(nil)).promptPrefix(of: [Self.system, Self.user]) == nil)
    }

    @Test func aTemplateThatMovesTheSystemPromptIntoTheUserTurnGivesNoPrefix() async throws {
        // Mistral v0.3 writes the system prompt into the last user message, so no start is shared.
        let profile = try Self.profile("Mistral-7B-Instruct-v0.3.jinja")
        #expect(await profile.promptPrefix(of: [Self.system, Self.user]) == nil)
        await #expect(throws: InferenceError.self) { try await profile.cacheInput(systemPrompt: "Be brief.") }
    }

    @Test func theCacheInputIsTheRenderedSystemTurnOrTheSystemMessage() async throws {
        let rendered = try await Self.profile("SmolLM2-135M-Instruct.jinja").cacheInput(systemPrompt: "Be brief.")
        #expect(rendered == .rendered("<|im_start|>system\nBe brief.<|im_end|>\n"))
        let chat = try await Self.profile(nil).cacheInput(systemPrompt: "Be brief.")
        #expect(chat == .chat([ChatMessage(role: .system, content: "Be brief.")]))
    }

    @Test func prepareGivesTheCachePrefixOnlyToEnginesThatWantIt() async throws {
        let request = GenerationRequest(model: "m", input: .chat([Self.system, Self.user]))
        let wanting = try Self.profile("SmolLM2-135M-Instruct.jinja", wantsCachePrefix: true)
        let prepared = try await wanting.prepare(request).request
        let prefix = try #require(prepared.cachePrefix)
        #expect(prefix == "<|im_start|>system\n\(Self.system.content)<|im_end|>\n")
        guard case .rendered(let prompt) = prepared.input else {
            Issue.record("the core renders for this engine")
            return
        }
        #expect(prompt.hasPrefix(prefix))
        let plain = try Self.profile("SmolLM2-135M-Instruct.jinja")
        #expect(try await plain.prepare(request).request.cachePrefix == nil, "no extra render for other engines")
        let noSystem = GenerationRequest(model: "m", input: .chat([Self.user]))
        #expect(try await wanting.prepare(noSystem).request.cachePrefix == nil)
    }
}

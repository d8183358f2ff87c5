import FoundationEssentials
import Hummingbird
import InferenceCore
import InferenceTypes
import Testing

@testable import OllamaAPI

@Suite struct OllamaOptionsTests {
    private func options(_ json: String) throws -> OllamaOptions {
        try JSONDecoder().decode(OllamaOptions.self, from: Data(json.utf8))
    }

    @Test func mapsKnownKeysAndAcceptsIntegralFloats() throws {
        let parsed = try options(
            #"{"num_predict":128.0,"temperature":0,"top_k":20,"top_p":0.8,"min_p":0.05,"repeat_penalty":1.1,"seed":42,"stop":["\n\n"],"num_ctx":4096.0}"#
        )
        #expect(parsed.maxTokens == 128)
        #expect(parsed.sampling.temperature == 0 && parsed.sampling.topK == 20 && parsed.sampling.seed == 42)
        #expect(parsed.stop == ["\n\n"])
        #expect(parsed.numCtx == 4096)
    }

    @Test func acceptsLegacyAndUnknownKeys() throws {
        let parsed = try options(
            #"{"mirostat":0,"mirostat_tau":5.0,"tfs_z":1,"penalize_newline":true,"numa":false,"low_vram":false,"num_gqa":8,"use_mlock":false,"something_new":"x"}"#
        )
        #expect(parsed == OllamaOptions())
    }

    @Test func loraNamesTheAdapter() throws {
        #expect(try options(#"{"lora":"pirate"}"#).lora == "pirate")
        #expect(try options(#"{"lora":null}"#).lora == nil)
        #expect(try options("{}").lora == nil)
    }

    @Test func unlimitedPredictionMeansNoLimit() throws {
        #expect(try options(#"{"num_predict":-1}"#).maxTokens == nil)
        #expect(try options(#"{"num_predict":-2}"#).maxTokens == nil)
        #expect(try options(#"{"seed":-1}"#).sampling.seed == nil)
    }

    @Test(arguments: [
        (#"{"temperature":"hot"}"#, "temperature"), (#"{"num_predict":12.5}"#, "num_predict"),
        (#"{"stop":"END"}"#, "stop"), (#"{"use_mmap":"yes"}"#, "use_mmap"), (#"{"num_ctx":[1]}"#, "num_ctx"),
        (#"{"lora":1}"#, "lora"),
    ])
    func refusesWronglyTypedKnownKeys(json: String, key: String) {
        #expect {
            try options(json)
        } throws: { error in
            guard let error = error as? OllamaError else { return false }
            return error.status == .badRequest && error.message.contains("\"\(key)\"")
        }
    }
}

@Suite struct OllamaKeepAliveTests {
    private func keepAlive(_ json: String) throws -> KeepAlive {
        try JSONDecoder().decode([String: OllamaKeepAlive].self, from: Data(#"{"k":\#(json)}"#.utf8))["k"]!.value
    }

    @Test func numbersAreSecondsStringsAreDurations() throws {
        #expect(try keepAlive("300") == .seconds(300))
        #expect(try keepAlive("1.5") == .seconds(1.5))
        #expect(try keepAlive(#""10m""#) == .seconds(600))
        #expect(try keepAlive(#""1h30m""#) == .seconds(5400))
        #expect(try keepAlive(#""300ms""#) == .seconds(0.3))
        #expect(try keepAlive(#""24h""#) == .seconds(86400))
    }

    @Test func negativeIsForeverAndZeroUnloads() throws {
        #expect(try keepAlive("-1") == .forever)
        #expect(try keepAlive(#""-1m""#) == .forever)
        #expect(try keepAlive("0") == .seconds(0))
        #expect(try keepAlive(#""0""#) == .seconds(0))
    }

    @Test func aBareNumberStringIsRefused() {
        #expect(throws: DecodingError.self) { try keepAlive(#""3600""#) }
        #expect(throws: DecodingError.self) { try keepAlive(#""soon""#) }
    }
}

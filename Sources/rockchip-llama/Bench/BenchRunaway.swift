import BenchReporting
import EngineSupport
import FoundationEssentials
import Glibc
import InferenceCore
import InferenceTypes
import OrderedJSON
import Synchronization

/// A runaway answer: a short request's time to first token alone, and while another request streams up to
/// `longTokens` tokens of counting (`/v1/completions`, which keeps a small model going); the long request is
/// hung up on once the short ones are measured.
struct BenchRunaway {
    let longTokens: Int
    let runs: Int

    func run(_ target: BenchTarget) throws -> RunawayFigures {
        let chat = BenchChat(target: target)
        func short(_ index: Int, _ tag: String) throws -> Double {
            try chat.answer([("user", "(\(target.label) \(tag) \(index)) Say hello in five words.")], maxTokens: 8)
                .ttftSeconds * 1000
        }
        BenchProgress.say("runaway: \(target.label), short requests alone")
        let idle = try (0..<runs).map { try short($0, "idle") }
        BenchProgress.say("runaway: \(target.label), a \(longTokens)-token answer and short requests beside it")
        let counted = Atomic<Int>(0)
        let started = Atomic<Bool>(false)
        let body: JSONValue = [
            "model": .string(target.model),
            "prompt": .string("Count from 1 to 5000, one number per line:\n1\n2\n3\n4\n5\n"),
            "max_tokens": .int(longTokens), "temperature": 0, "stream": true,
        ]
        let stream = try target.client.open("/v1/completions", json: body.serialized())
        let done = Atomic<Bool>(false)
        try DetachedThread.start {
            while let (_, text) = stream.read() {
                let pieces = text.components(separatedBy: #""text":""#).count - 1
                if pieces > 0 { started.store(true, ordering: .releasing) }
                counted.add(pieces, ordering: .relaxed)
            }
            done.store(true, ordering: .releasing)
        }
        defer {
            stream.hangUp()
            while !done.load(ordering: .acquiring) { usleep(1000) }
        }
        let limit = MonotonicClock.now()
        while !started.load(ordering: .acquiring) {
            guard !done.load(ordering: .acquiring), MonotonicClock.since(limit) < 120_000_000_000 else {
                throw BenchHTTPClient.Failure(description: "\(target.label): the long request never streamed")
            }
            usleep(1000)
        }
        var during: [Double] = []
        var before: [Int] = []
        // Only short requests sent while the long one still streams count.
        for index in 0..<runs where !done.load(ordering: .acquiring) {
            during.append(try short(index, "beside"))
            before.append(counted.load(ordering: .relaxed))
        }
        return RunawayFigures(
            target: target.label, longMaxTokens: longTokens, longTokensBefore: before.first ?? 0,
            idleTTFTMillis: BenchStatistics.median(idle), duringTTFTMillis: BenchStatistics.median(during))
    }
}

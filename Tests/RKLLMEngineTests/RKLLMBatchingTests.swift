import Foundation
import InferenceCore
import InferenceTypes
import ModelStore
import RKLLMEngine
import Synchronization
import TestSupport
import Testing

/// Multi-batch on the simulator, in both runtime layouts: requests waiting together share one `rkllm_run`, and
/// each gets its own answer, ending alone.
@Suite(.serialized) struct RKLLMBatchingTests {
    private func load(
        _ layout: String, parallel: Int = 4, sidecar: String? = nil,
        fileName: String = "Qwen_Qwen3-0.6B-w8a8-opt0-hybrid0-npu3-ctx4096-rk3588.rkllm"
    ) async throws -> any Engine {
        Simulator.prepare()
        let directory = try Simulator.makeDirectory()
        try Simulator.writeModel(in: directory, fileName: fileName, sidecar: sidecar)
        let loader = RKLLMEngineLoader(options: .init(libraryPath: Simulator.libraryPath(layout), parallel: parallel))
        let descriptor = try #require(ModelRegistry(directory: directory).models().first)
        return try await loader.load(descriptor)
    }

    private func chat(_ text: String, maxTokens: Int? = nil, stop: [String] = []) -> EngineRequest {
        EngineRequest(input: .chat([ChatMessage(role: .user, content: text)]), maxTokens: maxTokens, stop: stop)
    }

    /// Reads a stream to its end; `onDone` runs when `.done` arrives, before anything else is read.
    private func collect(
        _ stream: AsyncThrowingStream<EngineEvent, any Error>, onDone: @Sendable () -> Void = {}
    ) async throws -> (String, GenerationSummary) {
        var text = ""
        for try await event in stream {
            switch event {
            case .text(let piece): text += piece
            case .done(let summary):
                onDone()
                return (text, summary)
            case .logprobs: break
            }
        }
        throw InferenceError.engineFailure("no summary")
    }

    private func runs(from start: Int) -> Int {
        Simulator.events(from: start).filter { $0.hasPrefix("finish") }.count
    }

    @Test(arguments: Simulator.layouts)
    func fourConcurrentRequestsShareOneRunAndEachGetsItsOwnAnswer(layout: String) async throws {
        let engine = try await load(layout)
        #expect(engine.slots == 4)
        let answers = ["alpha beta gamma", "Grüße aus München", "one two", "the fourth answer, a longer one"]
        var alone: [String] = []
        for answer in answers {
            alone.append(try await collect(engine.generate(chat("Say [[echo]]\(answer)[[/echo]]"))).0)
        }
        let before = Simulator.eventCount()
        let streams = answers.map { engine.generate(chat("Say [[echo]]\($0)[[/echo]]")) }
        var together: [String] = []
        for stream in streams { together.append(try await collect(stream).0) }
        #expect(together == alone)
        #expect(together == answers)
        let events = Simulator.events(from: before)
        #expect(runs(from: before) == 1, "\(events)")
        #expect(events.filter { $0.hasPrefix("run ") }.count == 4)
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func membersThatEndEarlyAreDoneWhileTheOthersStillRun(layout: String) async throws {
        let engine = try await load(layout)
        let before = Simulator.eventCount()
        let requests = [
            chat("[[echo]]short[[/echo]]"), chat("Tell me about foxes.", maxTokens: 3),
            chat("[[echo]]alpha beta STOP gamma[[/echo]]", stop: ["STOP"]),
            chat("Tell me everything about foxes.", maxTokens: 150),
        ]
        let streams = requests.map { engine.generate($0) }
        let runEndedFirst = Mutex<[Bool]>([])
        var results: [(String, GenerationSummary)] = []
        for stream in streams.prefix(3) {
            results.append(
                try await collect(stream) {
                    let ended = Simulator.events(from: before).contains { $0.hasPrefix("finish") }
                    runEndedFirst.withLock { $0.append(ended) }
                })
        }
        // The three short ones had their answer while the run was still going for the long one.
        #expect(runEndedFirst.withLock { $0 } == [false, false, false])
        #expect(results[0].0 == "short" && results[0].1.finishReason == .stop)
        #expect(results[1].0 == "The quick brown " && results[1].1.finishReason == .length)
        #expect(results[1].1.usage.completionTokens == 3)
        #expect(results[2].0 == "alpha beta " && results[2].1.finishReason == .stop)
        let (long, summary) = try await collect(streams[3])
        #expect(summary.usage.completionTokens == 150 && summary.finishReason == .length)
        #expect(long.hasPrefix("The quick brown fox"))
        #expect(summary.usage.promptTokens > 0)
        #expect(runs(from: before) == 1)
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aClientThatLeavesEndsAloneAndTheOthersComplete(layout: String) async throws {
        let engine = try await load(layout)
        let before = Simulator.eventCount()
        let answer = String(repeating: "stays ", count: 30)
        var leaving: AsyncThrowingStream<EngineEvent, any Error>? = engine.generate(
            chat("Tell me everything.", maxTokens: 2000))
        let flagged = CancellationFlag()
        let cancelled = engine.generate(chat("Tell me more.", maxTokens: 2000), stop: flagged)
        let staying = [
            engine.generate(chat("[[echo]]\(answer)[[/echo]]")), engine.generate(chat("[[echo]]ok[[/echo]]")),
        ]
        var pieces = 0
        for try await event in try #require(leaving) {
            if case .text = event { pieces += 1 }
            if pieces == 2 { break }
        }
        leaving = nil  // the client goes away: its stream is dropped
        flagged.cancel()
        await #expect(throws: InferenceError.cancelled) { try await collect(cancelled) }
        #expect(try await collect(staying[0]).0 == answer)
        #expect(try await collect(staying[1]).0 == "ok")
        let events = Simulator.events(from: before)
        // The runtime was not aborted: the run went on for the others, and ended when they did.
        #expect(!events.contains("abort"), "\(events)")
        #expect(runs(from: before) == 1)
        let (next, _) = try await collect(engine.generate(chat("[[echo]]next[[/echo]]")))
        #expect(next == "next")
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func whenEveryMemberLeavesTheRunIsAborted(layout: String) async throws {
        let engine = try await load(layout, parallel: 2)
        let before = Simulator.eventCount()
        let flags = [CancellationFlag(), CancellationFlag()]
        let streams = flags.map { engine.generate(chat("Tell me everything.", maxTokens: 2000), stop: $0) }
        for try await event in streams[0] {
            if case .text = event { break }
        }
        for flag in flags { flag.cancel() }
        for stream in streams { await #expect(throws: InferenceError.cancelled) { try await collect(stream) } }
        let (next, _) = try await collect(engine.generate(chat("[[echo]]after[[/echo]]")))
        #expect(next == "after")
        #expect(Simulator.events(from: before).contains("abort"))
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aRequestArrivingDuringARunWaitsForTheNextOne(layout: String) async throws {
        let engine = try await load(layout)
        let before = Simulator.eventCount()
        let first = (0..<4).map { engine.generate(chat("Tell me about foxes, part \($0).", maxTokens: 40)) }
        var iterator = first[0].makeAsyncIterator()
        _ = try await iterator.next()  // the run is going
        let fifth = engine.generate(chat("[[echo]]the fifth[[/echo]]"))
        let (text, summary) = try await collect(fifth)
        #expect(text == "the fifth")
        #expect(summary.timings.queueNanos > 0)
        for stream in first.dropFirst() { #expect(try await collect(stream).1.usage.completionTokens == 40) }
        let events = Simulator.events(from: before)
        #expect(runs(from: before) == 2)
        // The fifth request's run began after the first run's end.
        let firstFinish = try #require(events.firstIndex { $0.hasPrefix("finish") })
        let runLines = events.indices.filter { events[$0].hasPrefix("run ") }
        #expect(runLines.count == 8 && runLines[4] > firstFinish, "\(events)")
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func requestsWhoseRunSettingsDifferAreNotBatchedTogether(layout: String) async throws {
        let engine = try await load(layout)
        let before = Simulator.eventCount()
        let system = EngineRequest(
            input: .chat([
                ChatMessage(role: .system, content: "Be brief."),
                ChatMessage(role: .user, content: "[[echo]]a[[/echo]]"),
            ]))
        let streams = [engine.generate(chat("[[echo]]b[[/echo]]")), engine.generate(system)]
        #expect(try await collect(streams[0]).0 == "b")
        #expect(try await collect(streams[1]).0 == "a")
        // The system prompt is the handle's chat template, one for the whole run.
        #expect(runs(from: before) == 2)
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func aPromptTooLongForTheContextIsRefusedAloneInABatch(layout: String) async throws {
        let engine = try await load(layout, parallel: 2, fileName: "qwen3-0.6b-w8a8-ctx64-rk3588.rkllm")
        let long = engine.generate(chat(String(repeating: "many words ", count: 100)))
        let short = engine.generate(chat("[[echo]]fits[[/echo]]"))
        await #expect {
            try await collect(long)
        } throws: { error in
            guard case .invalidRequest(let message) = error as? InferenceError else { return false }
            return message.contains("exceeds the max context")
        }
        #expect(try await collect(short).0 == "fits")
        await engine.unload()
    }

    @Test(arguments: Simulator.layouts)
    func nBatchComesFromParallelElseTheSidecarElseOne(layout: String) async throws {
        for (parallel, sidecar, expected) in [
            (0, nil, 1), (0, #"{"n_batch": 3}"#, 3), (2, #"{"n_batch": 3}"#, 2), (20, nil, 8),
        ] {
            let before = Simulator.eventCount()
            let engine = try await load(layout, parallel: parallel, sidecar: sidecar)
            let initLine = try #require(Simulator.events(from: before).first { $0.hasPrefix("init ok") })
            #expect(initLine.contains("n_batch=\(expected)"), "\(initLine)")
            #expect(engine.slots == expected)
            #expect(engine.info.runtimeVersion == (layout == "1.3" ? "RKLLM 1.3.0-sim" : "RKLLM 1.2.3-sim"))
            await engine.unload()
        }
    }

    @Test(arguments: ["0", "9", "-1"])
    func aSidecarNBatchOutOfRangeIsALoadError(value: String) async throws {
        await #expect {
            try await load("1.3", parallel: 0, sidecar: #"{"n_batch": \#(value)}"#)
        } throws: { error in
            "\(error)".contains("n_batch") && "\(error)".contains("from 1 to 8")
        }
    }

    @Test(arguments: Simulator.layouts)
    func eachDecodeStepOfABatchCostsMoreWithTheBatchFactor(layout: String) async throws {
        // Steps of 4 elements at f = 2 cost 3 ms × (1 + 3 × 2) = 21 ms at least (sleeps never end early).
        setenv("RKLLM_SIM_BATCH_FACTOR", "2", 1)
        defer { unsetenv("RKLLM_SIM_BATCH_FACTOR") }
        let engine = try await load(layout)
        let streams = (0..<4).map { engine.generate(chat("Count \($0).", maxTokens: 6)) }
        for stream in streams {
            let summary = try await collect(stream).1
            #expect(summary.usage.completionTokens == 6)
            #expect(summary.timings.evalNanos >= 100_000_000, "\(summary.timings)")
        }
        await engine.unload()
    }
}

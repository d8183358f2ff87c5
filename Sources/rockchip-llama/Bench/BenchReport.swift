import BenchReporting

/// The printed report: one aligned line per figure.
struct BenchReport {
    private(set) var text = ""

    mutating func line(_ name: String, _ value: String) {
        text += Formatting.padded(name, 46) + value + "\n"
    }

    /// The engine alone against the server over HTTP.
    mutating func compare(engine: BenchMeasurement, http: BenchMeasurement) {
        for (name, measurement) in [("engine alone", engine), ("HTTP streaming", http)] {
            line("\(name): time to first token (median)", Formatting.fixed(measurement.ttftSeconds * 1000, 2) + " ms")
            line(
                "\(name): overhead before first token",
                Formatting.fixed(measurement.firstTokenOverheadSeconds * 1000, 2) + " ms (beyond queue + prompt eval)")
            line(
                "\(name): decode (median)",
                Formatting.fixed(measurement.decodeTokensPerSecond, 1)
                    + " tokens/s (\(measurement.tokensPerRun) tokens a run)")
        }
        line(
            "decode speed, HTTP / engine",
            Formatting.fixed(http.decodeTokensPerSecond / engine.decodeTokensPerSecond, 3))
        line(
            "time to first token, HTTP - engine",
            Formatting.signed((http.ttftSeconds - engine.ttftSeconds) * 1000, 2) + " ms")
    }

    /// The server over HTTP against the rates the RKLLM simulator is configured with.
    mutating func compareWithSimulator(http: BenchMeasurement, environment: [String: String]) {
        let decodeMicros = environment["RKLLM_SIM_DECODE_US_PER_TOKEN"].flatMap(Double.init) ?? 30_300
        let prefillMicros = environment["RKLLM_SIM_PREFILL_US_PER_TOKEN"].flatMap(Double.init) ?? 1_560
        let configuredRate = 1e6 / decodeMicros
        let prefillSeconds = Double(http.promptTokens) * prefillMicros / 1e6
        line("simulator: configured decode rate", Formatting.fixed(configuredRate, 2) + " tokens/s")
        line(
            "simulator: HTTP decode / configured rate", Formatting.fixed(http.decodeTokensPerSecond / configuredRate, 3)
        )
        line(
            "simulator: simulated prefill of the prompt",
            Formatting.fixed(prefillSeconds * 1000, 2) + " ms (\(http.promptTokens) tokens)")
        line(
            "simulator: HTTP time to first token - prefill",
            Formatting.signed((http.ttftSeconds - prefillSeconds) * 1000, 2) + " ms")
    }

    /// The `/api` figures.
    mutating func ollama(rates: (reported: Double, measured: Double), tags: (cold: Double, warm: Double, listed: Int)) {
        line("/api: tokens/s from eval_count/eval_duration", Formatting.fixed(rates.reported, 1))
        line("/api: tokens/s the client measures", Formatting.fixed(rates.measured, 1))
        line("/api: reported / measured", Formatting.fixed(rates.reported / rates.measured, 3))
        line(
            "/api/tags with \(tags.listed) models, first call",
            Formatting.fixed(tags.cold, 2) + " ms (reads the headers)")
        line("/api/tags with \(tags.listed) models, median", Formatting.fixed(tags.warm, 2) + " ms")
    }

    /// Start-up time and resident memory.
    /// The runner process against a server that keeps the engine inside (`--isolation none`).
    mutating func isolation(runner: BenchMeasurement, inProcess: BenchMeasurement) {
        line(
            "HTTP, model in a runner: decode (median)", Formatting.fixed(runner.decodeTokensPerSecond, 1) + " tokens/s")
        line(
            "HTTP, --isolation none: decode (median)",
            Formatting.fixed(inProcess.decodeTokensPerSecond, 1) + " tokens/s")
        line(
            "decode speed, runner / in process",
            Formatting.fixed(runner.decodeTokensPerSecond / inProcess.decodeTokensPerSecond, 3))
        line(
            "time to first token, runner - in process",
            Formatting.signed((runner.ttftSeconds - inProcess.ttftSeconds) * 1000, 2) + " ms")
    }

    mutating func core(renderMicros: Double?, constrained: (free: Double, constrained: Double)?) {
        if let renderMicros {
            line(
                "chat template, 20 messages + 2 tools (median)",
                Formatting.fixed(renderMicros / 1000, 3) + " ms")
        }
        if let constrained {
            line("decode, free (median)", Formatting.fixed(constrained.free, 1) + " tokens/s")
            line("decode, JSON schema grammar (median)", Formatting.fixed(constrained.constrained, 1) + " tokens/s")
            line("constrained / free", Formatting.fixed(constrained.constrained / constrained.free, 3))
        }
    }

    mutating func load(_ results: [BenchLoad.Result], tokens: Int) {
        for result in results {
            let name = "\(result.concurrency) concurrent stream(s) of \(tokens) tokens"
            line(
                name,
                Formatting.fixed(result.aggregateTokensPerSecond, 1) + " tokens/s in all; first token p50 "
                    + Formatting.fixed(result.ttftP50Seconds * 1000, 0) + " ms, p99 "
                    + Formatting.fixed(result.ttftP99Seconds * 1000, 0) + " ms"
                    + (result.refused > 0 ? " (\(result.refused) of \(result.requests) refused)" : ""))
        }
    }

    mutating func memory(
        startupSeconds: Double, server: UInt64, runner: UInt64, runnerPrivate: UInt64, inProcess: UInt64,
        weights: UInt64, kvCache: UInt64, idle: UInt64
    ) {
        line(
            "process start to first 200 on /health",
            Formatting.fixed(startupSeconds * 1000, 0) + " ms (model load included)")
        line("server resident memory, model in a runner", Formatting.megabytes(server))
        line("runner resident memory (VmRSS)", Formatting.megabytes(runner))
        line("  of which model weights (mapped)", Formatting.megabytes(weights))
        line("  of which KV cache", Formatting.megabytes(kvCache))
        line(
            "runner memory minus weights and KV cache",
            Formatting.megabytes(Int64(runner) - Int64(weights) - Int64(kvCache)))
        line("runner private memory (pages no other process maps)", Formatting.megabytes(runnerPrivate))
        line(
            "--isolation none: server minus weights and KV",
            Formatting.megabytes(Int64(inProcess) - Int64(weights) - Int64(kvCache)))
        line("idle server, no model loaded (VmRSS)", Formatting.megabytes(idle))
    }

    /// How long `/health` (or `/api/tags`) took while each attack was held against the server.
    mutating func attacks(_ results: [BenchAttacks.Result]) {
        for result in results {
            let answered = "\(result.answered)/\(result.probes) answered"
            let figures =
                result.answered == 0
                ? answered
                : answered + ", median " + Formatting.fixed(result.p50Seconds * 1000, 1) + " ms, max "
                    + Formatting.fixed(result.maxSeconds * 1000, 1) + " ms"
            line("under attack: \(result.name)", figures + (result.survived ? "" : ", SERVER DIED"))
        }
    }
}

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
    mutating func memory(startupSeconds: Double, resident: UInt64, weights: UInt64, kvCache: UInt64, idle: UInt64) {
        line(
            "process start to first 200 on /health",
            Formatting.fixed(startupSeconds * 1000, 0) + " ms (model load included)")
        line("server resident memory (VmRSS)", Formatting.megabytes(resident))
        line("  of which model weights (mapped)", Formatting.megabytes(weights))
        line("  of which KV cache", Formatting.megabytes(kvCache))
        line(
            "server memory minus weights and KV cache",
            Formatting.megabytes(Int64(resident) - Int64(weights) - Int64(kvCache)))
        line("idle server, no model loaded (VmRSS)", Formatting.megabytes(idle))
    }
}

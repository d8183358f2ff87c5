import BenchReporting

/// The token arrival times of one run, in seconds since the request was made.
struct BenchSample {
    var arrivals: [Double]
    /// The queue and prompt time the generating side reported, in seconds: time to first token minus this
    /// is what the path between the runtime and the client added.
    var reportedFirstTokenSeconds: Double = 0
    /// The prompt tokens the generating side reported.
    var promptTokens = 0

    /// Time to the first token.
    var ttftSeconds: Double { arrivals.first ?? 0 }

    /// Time to the first token beyond what the generating side reported for queueing and the prompt.
    var firstTokenOverheadSeconds: Double { ttftSeconds - reportedFirstTokenSeconds }

    /// Tokens per second between the first and the last token.
    var decodeTokensPerSecond: Double {
        guard arrivals.count > 1, let first = arrivals.first, let last = arrivals.last, last > first else { return 0 }
        return Double(arrivals.count - 1) / (last - first)
    }
}

/// The runs of one kind, summarised by their medians.
struct BenchMeasurement {
    var samples: [BenchSample]

    var ttftSeconds: Double { BenchStatistics.median(samples.map(\.ttftSeconds)) }
    var firstTokenOverheadSeconds: Double { BenchStatistics.median(samples.map(\.firstTokenOverheadSeconds)) }
    var decodeTokensPerSecond: Double { BenchStatistics.median(samples.map(\.decodeTokensPerSecond)) }
    var promptTokens: Int { samples.map(\.promptTokens).max() ?? 0 }
    var tokensPerRun: Int { samples.map(\.arrivals.count).min() ?? 0 }
}

/// Mean, median, minimum and maximum of one figure over repeated measurements, as the original design's
/// reports give them.
public struct BenchSummary: Codable, Sendable, Equatable {
    /// How many measurements.
    public var count: Int
    /// Their arithmetic mean.
    public var mean: Double
    /// Their median.
    public var median: Double
    /// The smallest.
    public var min: Double
    /// The largest.
    public var max: Double

    /// The summary of `values`; all zero for none.
    public init(_ values: [Double]) {
        count = values.count
        mean = BenchStatistics.mean(values)
        median = BenchStatistics.median(values)
        min = values.min() ?? 0
        max = values.max() ?? 0
    }
}

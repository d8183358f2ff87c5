import BenchReporting
import Testing

@Suite("Bench statistics")
struct BenchStatisticsTests {
    @Test("the median of an odd count is the middle value, of an even count the mean of the two middle ones")
    func median() {
        #expect(BenchStatistics.median([5, 1, 3]) == 3)
        #expect(BenchStatistics.median([4, 1, 3, 2]) == 2.5)
        #expect(BenchStatistics.median([]) == 0)
    }

    @Test("percentiles are nearest-rank: p50 of 1…10 is 5, p99 is the largest, p0 the smallest")
    func percentiles() {
        let values = (1...10).map(Double.init).shuffled()
        #expect(BenchStatistics.percentile(values, 0.50) == 5)
        #expect(BenchStatistics.percentile(values, 0.99) == 10)
        #expect(BenchStatistics.percentile(values, 0.90) == 9)
        #expect(BenchStatistics.percentile(values, 0) == 1)
        #expect(BenchStatistics.percentile([], 0.5) == 0)
        #expect(BenchStatistics.percentile([7], 0.99) == 7)
    }

    @Test("a summary holds the count, mean, median, minimum and maximum; an empty one is all zero")
    func summary() {
        let summary = BenchSummary([2, 9, 4, 1])
        #expect(summary == BenchSummary(count: 4, mean: 4, median: 3, min: 1, max: 9))
        #expect(BenchSummary([]) == BenchSummary(count: 0, mean: 0, median: 0, min: 0, max: 0))
    }

    @Test("fixed-point formatting rounds half away from zero and pads the decimals")
    func formatting() {
        #expect(Formatting.fixed(1.25, 1) == "1.3")
        #expect(Formatting.fixed(-0.05, 1) == "-0.1")
        #expect(Formatting.fixed(3, 2) == "3.00")
        #expect(Formatting.fixed(1234.5, 0) == "1235")
    }
}

extension BenchSummary {
    init(count: Int, mean: Double, median: Double, min: Double, max: Double) {
        self.init([])
        self.count = count
        self.mean = mean
        self.median = median
        self.min = min
        self.max = max
    }
}

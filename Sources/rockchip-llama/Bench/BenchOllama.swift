import BenchReporting
import FoundationEssentials
import Glibc
import InferenceCore
import InferenceTypes

/// The `/api` figures: the tokens per second a client computes from `eval_count / eval_duration` against
/// what it measures itself, and how fast `/api/tags` answers with many models in the directory.
struct BenchOllama {
    let client: BenchHTTPClient
    let model: String
    let tokens: Int

    /// Median of (reported tokens/s) / (client-measured tokens/s) over `runs` streamed `/api/generate` calls.
    func reportedOverMeasuredRate(runs: Int) throws -> (reported: Double, measured: Double) {
        var reported: [Double] = []
        var measured: [Double] = []
        for index in 0..<runs {
            let prompt = Bench.prompt("O\(index)")
            let body =
                #"{"model":"\#(model)","prompt":"\#(prompt)","raw":true,"options":{"num_predict":\#(tokens),"temperature":0}}"#
            let reply = try client.post("/api/generate", json: body)
            guard reply.status == 200 else { throw BenchHTTPClient.Failure(description: "HTTP \(reply.status)") }
            var arrivals: [Double] = []
            for (time, text) in reply.arrivals {
                arrivals.append(
                    contentsOf: repeatElement(time, count: text.components(separatedBy: #""done":false"#).count - 1))
            }
            guard let evalCount = Self.number("eval_count", in: reply.body),
                let evalDuration = Self.number("eval_duration", in: reply.body), evalDuration > 0,
                let first = arrivals.first, let last = arrivals.last, last > first
            else { throw BenchHTTPClient.Failure(description: "no metrics in the final line") }
            reported.append(evalCount / evalDuration * 1e9)
            // The client's own measure: tokens after the first, over the time from the first to the last.
            measured.append(Double(arrivals.count - 1) / (last - first))
        }
        return (BenchStatistics.median(reported), BenchStatistics.median(measured))
    }

    /// `/api/tags` with `count` models: the first answer (headers read) and the median of later ones, in ms.
    func tagsLatency(directory: String, modelPath: String, count: Int) throws -> (
        cold: Double, warm: Double, listed: Int
    ) {
        let format = PathNames.fileExtension(modelPath)
        for index in 1..<count {
            let link = "\(directory)/copy-\(index).\(format)"
            try? FileManager.default.removeItem(atPath: link)
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: modelPath)
        }
        func timed() throws -> (Double, Int) {
            let start = MonotonicClock.now()
            let reply = try client.get("/api/tags")
            let elapsed = Double(MonotonicClock.since(start)) / 1e6
            return (elapsed, reply.body.components(separatedBy: #""digest""#).count - 1)
        }
        let (cold, listed) = try timed()
        let warm = try (0..<21).map { _ in try timed().0 }
        return (cold, BenchStatistics.median(warm), listed)
    }

    private static func number(_ key: String, in text: String) -> Double? {
        guard let range = text.ranges(of: "\"\(key)\":").last else { return nil }
        return Double(text[range.upperBound...].prefix { $0.isNumber || $0 == "." })
    }
}

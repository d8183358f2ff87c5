import BenchReporting
import EngineSupport
import FoundationEssentials
import Glibc
import ImageCodec
import InferenceTypes

/// The `images` section: what preparing an image for a vision encoder costs, in process: decode, pad to a
/// square and resize to 392x392 (Qwen2-VL's encoder input on RK3588), normalise with CLIP's mean and deviation.
struct BenchImages {
    /// The encoder input the images are prepared for.
    static let preparation = ImagePreparation(width: 392, height: 392)
    static let mean: [Float] = [0.481_454_66, 0.457_827_5, 0.408_210_73]
    static let deviation: [Float] = [0.268_629_54, 0.261_302_58, 0.275_777_11]

    /// Rounds per file, after one warm-up round.
    var rounds: Int

    /// Figures for each file that exists of `files` (the JPEG and its PNG).
    func run(files: [String]) throws -> [ImageFigures] {
        try files.map { path in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw BenchHTTPClient.Failure(description: "cannot read the bench image \(path)")
            }
            return try measure(Array(data), file: path)
        }
    }

    private func measure(_ bytes: [UInt8], file: String) throws -> ImageFigures {
        BenchProgress.say("images: \(rounds) rounds of \(PathNames.fileName(file))")
        var decodes: [Double] = []
        var totals: [Double] = []
        var cpu: [Double] = []
        var size = ""
        var format = ""
        for round in 0...rounds {
            let cpuStart = Self.threadCPUNanos()
            let start = MonotonicClock.now()
            let image = try ImageDecoder.decode(bytes)
            let decoded = MonotonicClock.since(start)
            let pixels = ImagePreprocessor.pixels(of: image, for: Self.preparation)
            let floats = ImagePreprocessor.normalized(pixels, mean: Self.mean, std: Self.deviation)
            let total = MonotonicClock.since(start)
            let cpuTotal = Self.threadCPUNanos() - cpuStart
            guard floats.count == Self.preparation.width * Self.preparation.height * 3 else {
                throw BenchHTTPClient.Failure(description: "images: the prepared input has \(floats.count) values")
            }
            size = "\(image.width)x\(image.height)"
            format = try ImageDecoder.header(of: bytes).format == .jpeg ? "JPEG" : "PNG"
            guard round > 0 else { continue }
            decodes.append(Double(decoded) / 1e6)
            totals.append(Double(total) / 1e6)
            cpu.append(cpuTotal / 1e6)
        }
        return ImageFigures(
            format: format, file: PathNames.fileName(file), fileBytes: bytes.count, imageSize: size,
            targetSize: "\(Self.preparation.width)x\(Self.preparation.height)", rounds: rounds,
            decodeMedianMillis: BenchStatistics.median(decodes), medianMillis: BenchStatistics.median(totals),
            p90Millis: BenchStatistics.percentile(totals, 0.9), cpuMedianMillis: BenchStatistics.median(cpu))
    }

    /// The CPU time this thread has used, in nanoseconds.
    private static func threadCPUNanos() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) * 1e9 + Double(time.tv_nsec)
    }
}

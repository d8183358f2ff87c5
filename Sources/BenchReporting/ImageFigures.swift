/// Image preprocessing of one file: decode, pad and resize to the encoder's input, normalise, timed in process.
public struct ImageFigures: Codable, Sendable, Equatable {
    /// `JPEG` or `PNG`.
    public var format: String
    /// The file's name.
    public var file: String
    /// The file's size in bytes.
    public var fileBytes: Int
    /// The image's size, `1024x768`.
    public var imageSize: String
    /// The encoder input it was prepared for, `392x392`.
    public var targetSize: String
    /// Rounds measured (after one warm-up round).
    public var rounds: Int
    /// Median of the decode alone, in milliseconds.
    public var decodeMedianMillis: Double
    /// Median of the whole preparation (decode, pad and resize, normalise), in milliseconds.
    public var medianMillis: Double
    /// 90th percentile of the whole preparation, in milliseconds.
    public var p90Millis: Double
    /// Median CPU time of the whole preparation (the measuring thread's), in milliseconds: what other
    /// processes on a loaded machine do not inflate.
    public var cpuMedianMillis: Double

    /// Figures from their parts.
    public init(
        format: String, file: String, fileBytes: Int, imageSize: String, targetSize: String, rounds: Int,
        decodeMedianMillis: Double, medianMillis: Double, p90Millis: Double, cpuMedianMillis: Double
    ) {
        self.format = format
        self.file = file
        self.fileBytes = fileBytes
        self.imageSize = imageSize
        self.targetSize = targetSize
        self.rounds = rounds
        self.decodeMedianMillis = decodeMedianMillis
        self.medianMillis = medianMillis
        self.p90Millis = p90Millis
        self.cpuMedianMillis = cpuMedianMillis
    }
}

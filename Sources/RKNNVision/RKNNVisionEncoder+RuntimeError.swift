extension RKNNVisionEncoder {
    /// The runtime's last `E RKNN:` line in what it printed, without the prefix: the reason it gives for a refusal.
    static func lastRuntimeError(in printed: String) -> String? {
        guard let line = printed.split(separator: "\n").last(where: { $0.contains("E RKNN") }) else { return nil }
        guard let range = line.firstRange(of: "E RKNN:") else { return String(line) }
        return String(line[range.upperBound...].trimmingPrefix(" "))
    }
}

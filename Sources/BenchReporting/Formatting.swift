/// Fixed-point formatting for the bench report (the server links no `String(format:)`).
public enum Formatting {
    /// `value` with `digits` decimals, rounded half away from zero.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        let fraction = Int(scaled - Double(whole) * scale)
        let sign = value < 0 && scaled > 0 ? "-" : ""
        guard digits > 0 else { return sign + "\(whole)" }
        let fractionText = String(fraction)
        return sign + "\(whole)." + String(repeating: "0", count: digits - fractionText.count) + fractionText
    }

    /// `value` with an explicit sign.
    public static func signed(_ value: Double, _ digits: Int) -> String {
        (value >= 0 ? "+" : "") + fixed(value, digits)
    }

    /// Bytes as mebibytes with one decimal.
    public static func megabytes(_ bytes: some BinaryInteger) -> String {
        fixed(Double(bytes) / 1_048_576, 1) + " MB"
    }

    /// `text` padded with spaces to `width` characters.
    public static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

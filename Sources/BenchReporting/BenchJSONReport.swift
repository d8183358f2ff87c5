import FoundationEssentials

/// The JSON report: every figure under stable keys, sorted, indented.
public enum BenchJSONReport {
    /// `figures` as JSON text.
    public static func render(_ figures: BenchFigures) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(figures), as: UTF8.self) + "\n"
    }

    /// Figures read back from a JSON report.
    public static func parse(_ text: String) throws -> BenchFigures {
        try JSONDecoder().decode(BenchFigures.self, from: Data(text.utf8))
    }
}

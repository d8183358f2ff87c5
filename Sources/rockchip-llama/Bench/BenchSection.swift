/// The parts of `rockchip-llama bench` a developer can run alone (`--only`).
enum BenchSection: String, CaseIterable, Sendable {
    case basics, categories, sweep, cache, sharing, runaway, dialects, images, embeddings, eos

    /// The sections `--only` names; every one but `eos` (which switches a simulator fault on) when it is `nil`.
    static func parse(_ list: String?) throws -> Set<BenchSection> {
        guard let list else { return Set(allCases.filter { $0 != .eos }) }
        var sections = Set<BenchSection>()
        for name in list.split(separator: ",").map({ $0.filter { $0 != " " } }) where !name.isEmpty {
            guard let section = BenchSection(rawValue: name) else {
                throw BenchHTTPClient.Failure(
                    description: "unknown section \(name) in --only; the sections: "
                        + allCases.map(\.rawValue).joined(separator: ", "))
            }
            sections.insert(section)
        }
        return sections
    }
}

/// A server the bench measures: ours (started by the bench) or a peer (started by the bench, or `--against`).
struct BenchTarget: Sendable {
    /// How reports name it: `ours`, or the peer's label.
    var label: String
    var client: BenchHTTPClient
    /// The model name its requests carry.
    var model: String
    /// Whether it is our server (it has our routes: the named cache, `/v1/models/loaded`).
    var isOurs: Bool
}

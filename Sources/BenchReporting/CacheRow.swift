/// One scenario of the prompt-cache section: the time to first token of a question after a long system prompt.
public struct CacheRow: Codable, Sendable, Equatable {
    /// The scenario's key: `cold`, `warm`, `after-other`, `after-stop` or `named`.
    public var scenario: String
    /// What a reader sees.
    public var label: String
    /// Our server's median time to first token, in milliseconds; `nil` when not measured.
    public var oursMillis: Double?
    /// The peer's, in milliseconds; `nil` when it has no such thing or there is no peer.
    public var peerMillis: Double?
    /// Why a figure is missing, or anything else a reader should know.
    public var note: String?

    /// A row from its parts.
    public init(scenario: String, label: String, oursMillis: Double?, peerMillis: Double?, note: String? = nil) {
        self.scenario = scenario
        self.label = label
        self.oursMillis = oursMillis
        self.peerMillis = peerMillis
        self.note = note
    }
}

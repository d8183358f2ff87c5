/// How the next token is chosen. A `nil` field means "the engine's default".
public struct SamplingOptions: Sendable, Hashable, Codable {
    /// Softmax temperature; 0 means greedy decoding.
    public var temperature: Double?
    /// Keep only the `topK` most likely tokens; 0 disables the filter.
    public var topK: Int?
    /// Nucleus sampling threshold in (0, 1].
    public var topP: Double?
    /// Drop tokens less likely than `minP` times the most likely one.
    public var minP: Double?
    /// Multiplicative penalty for tokens seen in the last `repeatLastN` tokens; 1 disables it.
    public var repeatPenalty: Double?
    /// How many recent tokens the repeat, presence and frequency penalties look at.
    public var repeatLastN: Int?
    /// Additive penalty for tokens that appeared at all (OpenAI's -2...2).
    public var presencePenalty: Double?
    /// Additive penalty proportional to how often a token appeared (OpenAI's -2...2).
    public var frequencyPenalty: Double?
    /// Seed of the random generator; `nil` picks a random one.
    public var seed: UInt32?

    /// Creates options; every field left out uses the engine's default.
    public init(
        temperature: Double? = nil, topK: Int? = nil, topP: Double? = nil, minP: Double? = nil,
        repeatPenalty: Double? = nil, repeatLastN: Int? = nil, presencePenalty: Double? = nil,
        frequencyPenalty: Double? = nil, seed: UInt32? = nil
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.minP = minP
        self.repeatPenalty = repeatPenalty
        self.repeatLastN = repeatLastN
        self.presencePenalty = presencePenalty
        self.frequencyPenalty = frequencyPenalty
        self.seed = seed
    }
}

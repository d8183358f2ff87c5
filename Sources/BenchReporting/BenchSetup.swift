/// How a bench run was made: the machine, the model and the settings every figure was measured with.
public struct BenchSetup: Codable, Sendable, Equatable {
    /// The CPU model and the operating system.
    public var machine: String
    /// Cores the bench saw.
    public var cores: Int
    /// The model's file name.
    public var model: String
    /// CPU threads given to each server (0: the server's default).
    public var threads: Int
    /// The context length per slot our server was started with.
    public var contextLength: Int
    /// Our server's command-line arguments beyond the models directory and port.
    public var serverArguments: [String]
    /// What the peer is (its command line, or the URL it answers at); `nil` without a peer.
    public var peer: String?
    /// When the run started (ISO 8601, UTC).
    public var date: String
    /// The sections that ran.
    public var sections: [String]
    /// The other settings of the run (token counts, runs, levels), by name.
    public var settings: [String: String]

    /// A setup from its parts.
    public init(
        machine: String, cores: Int, model: String, threads: Int, contextLength: Int, serverArguments: [String],
        peer: String?, date: String, sections: [String], settings: [String: String]
    ) {
        self.machine = machine
        self.cores = cores
        self.model = model
        self.threads = threads
        self.contextLength = contextLength
        self.serverArguments = serverArguments
        self.peer = peer
        self.date = date
        self.sections = sections
        self.settings = settings
    }
}

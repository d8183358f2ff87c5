import ArgumentParser
import Configuration

/// The options that bound what a pull may do, shared by `serve` (for `/api/pull`) and `pull`.
struct PullOptions: ParsableArguments {
    @Option(
        help: """
            A host name, *.domain, address or CIDR range pulls may download from besides Hugging Face and the \
            reference's own host; repeatable or comma-separated. Loopback, private and link-local addresses are \
            refused unless listed here. [env: ROCKCHIP_LLAMA_ALLOW_PULL_FROM] (default: none)
            """)
    var allowPullFrom: [String] = []

    @Option(
        help: """
            Largest model file a pull keeps, in bytes. [env: ROCKCHIP_LLAMA_MAX_PULL_BYTES] \
            (default: 68719476736, 64 GiB)
            """)
    var maxPullBytes: Int?

    /// The flags given, under the keys `ServerConfiguration` reads.
    var flagValues: [AbsoluteConfigKey: ConfigValue] {
        var values: [AbsoluteConfigKey: ConfigValue] = [:]
        if !allowPullFrom.isEmpty { values["allowPullFrom"] = .init(.stringArray(allowPullFrom), isSecret: false) }
        if let maxPullBytes { values["maxPullBytes"] = .init(.int(maxPullBytes), isSecret: false) }
        return values
    }
}

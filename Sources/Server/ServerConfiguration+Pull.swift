public import ModelDownload

extension ServerConfiguration {
    /// The pull policy `allowPullFrom` and `maxPullBytes` describe, with the system's resolver and free space.
    /// Throws `ModelDownloadError.invalidPullSource` for an entry `init(reader:)` would have refused.
    public func pullPolicy() throws(ModelDownloadError) -> PullPolicy {
        try PullPolicy(allowing: allowPullFrom, maxBytes: maxPullBytes)
    }
}

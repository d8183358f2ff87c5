extension AccessConfiguration {
    /// The start-up warning for a server listening on `address` (an IP address) without an API key where
    /// others can reach it; `nil` when it listens on loopback only or asks for a key.
    func exposureWarning(address: String, port: Int) -> String? {
        guard apiKeys.isEmpty, !Self.isLoopback(address) else { return nil }
        let shown = address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
        return """
            listening on \(shown) without an API key: anyone who can reach this port can chat with the models, \
            pull files from the internet onto this machine (/api/pull), and copy, delete or unload models \
            (/api/copy, /api/delete, /v1/models/unload). Set --api-key (or ROCKCHIP_LLAMA_API_KEYS) to require \
            a key, or listen on 127.0.0.1.
            """
    }

    private static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address == "localhost" || address.hasPrefix("::ffff:127.")
    }
}

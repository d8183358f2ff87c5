import Configuration
import Foundation
import Testing

@testable import Server

@Suite struct AccessPolicyTests {
    @Test func answersLocalNamesAndAddressesOnALoopbackServer() {
        let policy = HostPolicy(listenHost: "127.0.0.1", hostname: "rock-5b", allowed: [])
        for host in [
            "localhost", "localhost:8080", "LOCALHOST.", "app.localhost:3000", "127.0.0.1:8080", "127.1.2.3",
            "[::1]:8080", "rock-5b", "rock-5b.local:8080", "Rock-5B.local", "rock-5b.lan", "host.docker.internal:8080",
            "npu.home.arpa", "other-board",
        ] {
            #expect(policy.allows(host), "\(host)")
        }
        for host in [
            "evil.example", "evil.example:8080", "localhost.evil.example", "192.168.1.5:8080", "lan.evil.example",
            "internal.example",
        ] {
            #expect(!policy.allows(host), "\(host)")
        }
    }

    @Test func answersAnyAddressButNoUnknownNameWhenListeningOnAllInterfaces() {
        let policy = HostPolicy(listenHost: "0.0.0.0", hostname: "board", allowed: [])
        #expect(policy.allows("192.168.1.5:8080"))
        #expect(policy.allows("[fe80::1]:8080"))
        #expect(policy.allows("10.0.0.7"))
        #expect(!policy.allows("attacker.example:8080"))
        #expect(!policy.allows("192.168.1.5.nip.io"))
    }

    @Test func answersTheListenAddressAndConfiguredNames() {
        let policy = HostPolicy(
            listenHost: "192.168.1.5", hostname: nil, allowed: ["llm.home.example", "*.lab.example", "10.9.8.7"])
        #expect(policy.allows("192.168.1.5:8080"))
        #expect(policy.allows("10.9.8.7"))
        #expect(policy.allows("LLM.home.example:443"))
        #expect(policy.allows("npu.lab.example"))
        #expect(!policy.allows("lab.example.evil.example"))
        #expect(!policy.allows("192.168.1.6"))
        #expect(HostPolicy(listenHost: "127.0.0.1", hostname: nil, allowed: ["*"]).allows("anything.example"))
    }

    @Test func allowsLocalPagesAndDesktopShellsOnly() {
        let policy = OriginPolicy(configured: [])
        for origin in [
            "http://localhost", "http://localhost:3000", "https://127.0.0.1:8443", "http://[::1]:5173",
            "http://0.0.0.0:8080", "app://obsidian.md", "tauri://localhost", "vscode-webview://1abc2def",
            "vscode-file://vscode-app", "file://",
        ] {
            #expect(policy.allows(origin), "\(origin)")
        }
        for origin in [
            "https://evil.example", "http://localhost.evil.example", "http://localhost:3000.evil.example/x",
            "http://127.0.0.1.nip.io", "null", "chrome-extension://abcdef",
        ] {
            #expect(!policy.allows(origin), "\(origin)")
        }
    }

    @Test func allowsConfiguredOriginsAndWildcards() {
        let policy = OriginPolicy(configured: [
            "https://chat.example.org/", "https://*.lab.example", "http://10.0.0.2:*",
        ])
        #expect(policy.allows("https://chat.example.org"))
        #expect(policy.allows("https://webui.lab.example"))
        #expect(policy.allows("http://10.0.0.2:3000"))
        #expect(!policy.allows("http://chat.example.org"))
        #expect(!policy.allows("https://lab.example.evil.example"))
        #expect(OriginPolicy(configured: ["*"]).allows("https://anywhere.example"))
    }

    @Test func acceptsOnlyTheConfiguredKeys() {
        let keys = APIKeySet(["sk-first", "second-key"])
        #expect(keys.contains("sk-first"))
        #expect(keys.contains("second-key"))
        #expect(!keys.contains("sk-firs"))
        #expect(!keys.contains("sk-first "))
        #expect(!keys.contains(""))
        #expect(!APIKeySet([]).contains(""))
        #expect(APIKeySet([]).isEmpty)
    }

    @Test func choosesTheErrorShapeByPathPrefix() {
        #expect(ErrorDialect(path: "/api/tags") == .ollama)
        #expect(ErrorDialect(path: "/api") == .ollama)
        #expect(ErrorDialect(path: "/apis") == .openAI)
        #expect(ErrorDialect(path: "/v1/messages") == .anthropic)
        #expect(ErrorDialect(path: "/v1/messages/count_tokens") == .anthropic)
        #expect(ErrorDialect(path: "/v1/chat/completions") == .openAI)
        #expect(ErrorDialect(path: "/tokenize") == .openAI)
    }

    @Test func readsKeysFromFlagsEnvironmentStyleListsAndAKeyFile() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "# the team's keys\n\n  team-key-1  \n#team-key-old\nteam-key-2\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let reader = ConfigReader(
            provider: InMemoryProvider(values: [
                "apiKeys": .init(.stringArray(["flag-key", " "]), isSecret: true),
                "apiKeyFile": .init(.string(file), isSecret: false),
                "allowedOrigins": .init(.stringArray(["https://chat.example"]), isSecret: false),
                "allowedHosts": .init(.stringArray(["llm.example"]), isSecret: false),
            ]))
        let access = try AccessConfiguration(reader: reader)
        #expect(access.apiKeys == ["flag-key", "team-key-1", "team-key-2"])
        #expect(access.allowedOrigins == ["https://chat.example"])
        #expect(access.allowedHosts == ["llm.example"])
    }

    @Test func aConfigFilesSingleStringOfKeysIsSplitNotIgnored() throws {
        let reader = ConfigReader(
            provider: InMemoryProvider(values: ["apiKeys": .init(.string("k1, k2"), isSecret: true)]))
        #expect(try AccessConfiguration(reader: reader).apiKeys == ["k1", "k2"])
    }

    @Test func refusesAKeyFileWithoutKeysAndKeysWithSpaces() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "# nothing yet\n\n".write(toFile: file, atomically: true, encoding: .utf8)
        for values: [AbsoluteConfigKey: ConfigValue] in [
            ["apiKeyFile": .init(.string(file), isSecret: false)],
            ["apiKeyFile": .init(.string("/nonexistent/keys"), isSecret: false)],
            ["apiKeys": .init(.stringArray(["two words"]), isSecret: true)],
            ["allowedOrigins": .init(.stringArray(["https://*.*.example"]), isSecret: false)],
        ] {
            #expect(throws: (any Error).self) {
                try AccessConfiguration(reader: ConfigReader(provider: InMemoryProvider(values: values)))
            }
        }
    }

    @Test func warnsOnlyWhenReachableBeyondLoopbackWithoutAKey() throws {
        let open = AccessConfiguration()
        let warning = try #require(open.exposureWarning(address: "0.0.0.0", port: 8080))
        #expect(warning.contains("0.0.0.0:8080") && warning.contains("/api/pull") && warning.contains("--api-key"))
        #expect(open.exposureWarning(address: "::", port: 8080)?.contains("[::]:8080") == true)
        #expect(open.exposureWarning(address: "127.0.0.1", port: 8080) == nil)
        #expect(open.exposureWarning(address: "::1", port: 8080) == nil)
        #expect(AccessConfiguration(apiKeys: ["k"]).exposureWarning(address: "0.0.0.0", port: 8080) == nil)
    }
}

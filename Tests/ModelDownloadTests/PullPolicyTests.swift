import ModelDownload
import Testing

/// The pieces of the pull policy on their own: address classes, ranges and `--allow-pull-from` entries.
@Suite struct PullPolicyTests {
    @Test(
        "restricted addresses are recognised, IPv4-mapped ones included; public ones are not",
        arguments: [
            ("127.0.0.1", "loopback"), ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
            ("169.254.169.254", "link-local"), ("100.64.0.1", "carrier-grade NAT"), ("0.0.0.0", "unspecified"),
            ("224.0.0.1", "multicast"), ("::1", "loopback"), ("::", "unspecified"), ("fe80::1", "link-local"),
            ("fd00::1", "unique local (private)"), ("ff02::1", "multicast"), ("::ffff:127.0.0.1", "loopback"),
            ("8.8.8.8", nil), ("172.32.0.1", nil), ("2606:4700::1111", nil),
        ] as [(String, String?)])
    func addressClasses(address: String, kind: String?) throws {
        #expect(try #require(IPAddress(address)).restrictedKind == kind)
    }

    @Test("a CIDR range holds the addresses under its prefix and no others")
    func ranges() throws {
        let range = try #require(IPRange("10.0.0.0/8"))
        #expect(range.contains(try #require(IPAddress("10.255.1.2"))))
        #expect(range.contains(try #require(IPAddress("::ffff:10.0.0.1"))))
        #expect(!range.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(try #require(IPRange("fd00::/8")).contains(try #require(IPAddress("fd12::1"))))
        #expect(IPRange("10.0.0.0/33") == nil)
        #expect(IPRange("10.0.0/8") == nil)
    }

    @Test("entries are host names, *.domains, addresses or ranges; anything else is refused, naming the entry")
    func entries() throws {
        #expect(try PullSourceRule(parsing: " Models.Example.COM ") == .host("models.example.com"))
        #expect(try PullSourceRule(parsing: "*.example.com") == .domain("example.com"))
        #expect(try PullSourceRule(parsing: "127.0.0.1") == .addresses(try #require(IPRange("127.0.0.1"))))
        #expect(try PullSourceRule(parsing: "192.168.0.0/16") == .addresses(try #require(IPRange("192.168.0.0/16"))))
        for bad in ["http://example.com", "example.com:8080", "10.0.0.0/40", "exa mple.com", ""] {
            #expect {
                _ = try PullSourceRule(parsing: bad)
            } throws: { error in
                guard case .invalidPullSource(bad, _) = error as? ModelDownloadError else { return false }
                return true
            }
        }
    }
}

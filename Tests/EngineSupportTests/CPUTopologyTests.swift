import EngineSupport
import Foundation
import Testing

/// The default thread count, read from fake sysfs trees.
@Suite struct CPUTopologyTests {
    /// A fake `/sys/devices/system/cpu` whose cores have the given maximum frequencies (`nil`: no cpufreq).
    private static func tree(_ frequencies: [Int?]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("cpu-\(UUID().uuidString)").path
        for (core, frequency) in frequencies.enumerated() {
            let folder = "\(root)/cpu\(core)/cpufreq"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            if let frequency {
                try "\(frequency)\n".write(toFile: "\(folder)/cpuinfo_max_freq", atomically: true, encoding: .utf8)
            }
        }
        // What else the real folder holds, which is not a core.
        try FileManager.default.createDirectory(atPath: "\(root)/cpufreq", withIntermediateDirectories: true)
        try "0-\(frequencies.count - 1)\n".write(toFile: "\(root)/online", atomically: true, encoding: .utf8)
        return root
    }

    @Test("an RK3588 whose two big clusters are binned differently still runs on all four big cores")
    func binnedBigClusters() throws {
        let root = try Self.tree([
            1_800_000, 1_800_000, 1_800_000, 1_800_000, 2_352_000, 2_352_000, 2_256_000, 2_256_000,
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(CPUTopology.defaultThreadCount(cores: 8, sysfsRoot: root) == 4)
    }

    @Test("a 4+4 big.LITTLE with one big frequency runs on the four big cores")
    func fourPlusFour() throws {
        let root = try Self.tree([
            1_800_000, 1_800_000, 1_800_000, 1_800_000, 2_400_000, 2_400_000, 2_400_000, 2_400_000,
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(CPUTopology.defaultThreadCount(cores: 8, sysfsRoot: root) == 4)
        #expect(CPUTopology.maximumFrequencies(sysfsRoot: root).count == 8)
    }

    @Test("cores of one frequency leave one core free")
    func uniform() throws {
        let root = try Self.tree([2_000_000, 2_000_000, 2_000_000, 2_000_000])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(CPUTopology.defaultThreadCount(cores: 4, sysfsRoot: root) == 3)
    }

    @Test("without cpufreq (a VM, a container) one core is left free, and one core still gets a thread")
    func missingCPUFreq() throws {
        let root = try Self.tree([nil, nil])
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(CPUTopology.defaultThreadCount(cores: 2, sysfsRoot: root) == 1)
        #expect(CPUTopology.defaultThreadCount(cores: 1, sysfsRoot: root) == 1)
        #expect(CPUTopology.defaultThreadCount(cores: 6, sysfsRoot: "/nonexistent/cpu") == 5)
    }
}

import Foundation
import RKLLMEngine
import TestSupport
import Testing

/// The start-up probe of the NPU driver, on fake `/sys` trees.
@Suite struct NPUDriverProbeTests {
    private func tree(_ files: [String: String], directories: [String] = []) throws -> String {
        let root = try Simulator.makeDirectory()
        for directory in directories {
            try FileManager.default.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
        }
        for (path, text) in files {
            let url = URL(fileURLWithPath: root + path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        return root
    }

    @Test func theDebugFileGivesTheVendorDriversVersion() throws {
        let root = try tree(["/sys/kernel/debug/rknpu/version": "RKNPU driver: v0.9.8\n"])
        #expect(NPUDriverProbe(root: root).driver() == .rknpu(version: "0.9.8"))
        #expect(NPUDriverProbe(root: root).report().map(\.text) == ["NPU driver: rknpu 0.9.8"])
    }

    @Test func theModuleVersionIsTheFallback() throws {
        let root = try tree(["/sys/module/rknpu/version": "0.9.6\n"])
        #expect(NPUDriverProbe(root: root).driver() == .rknpu(version: "0.9.6"))
    }

    @Test func aModuleWithoutAReadableVersionIsStillRKNPU() throws {
        let root = try tree([:], directories: ["/sys/module/rknpu"])
        #expect(NPUDriverProbe(root: root).driver() == .rknpu(version: nil))
    }

    @Test func theMainlineRocketDriverIsAWarning() throws {
        for root in [
            try tree([:], directories: ["/sys/module/rocket"]), try tree(["/dev/accel/accel0": ""]),
        ] {
            let probe = NPUDriverProbe(root: root)
            #expect(probe.driver() == .rocket)
            let report = probe.report()
            #expect(report.count == 1 && report[0].warning)
            #expect(report[0].text.contains("rknpu"))
        }
    }

    @Test func noDriverIsSaidPlainly() throws {
        let probe = NPUDriverProbe(root: try tree([:]))
        #expect(probe.driver() == NPUDriverProbe.Driver.none)
        #expect(probe.report().first?.warning == false)
    }
}

import FoundationEssentials

/// Which NPU driver this machine runs, read from `/sys`: Rockchip's vendor `rknpu` driver (which the RKLLM runtime
/// needs; 1.3.0 does not work on anything else) or the mainline kernel's `rocket` DRM accel driver.
public struct NPUDriverProbe: Sendable {
    /// What was found.
    public enum Driver: Sendable, Equatable {
        /// The vendor driver, with its version when a readable file gives it.
        case rknpu(version: String?)
        /// The mainline `rocket` driver, without `rknpu`.
        case rocket
        /// No NPU driver (off a board, or the driver is not loaded).
        case none
    }

    /// The directory `/sys` and `/dev` are looked for in: `/` on a board, a fake tree in tests.
    public let root: String

    /// A probe of the tree under `root`.
    public init(root: String = "/") {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
    }

    /// The driver, from `/sys/kernel/debug/rknpu/version` (often readable by root only), else
    /// `/sys/module/rknpu/version`, else the presence of `/sys/module/rknpu`; `rocket` from `/sys/module/rocket`
    /// or a `/dev/accel/accel*` device with no `rknpu`.
    public func driver() -> Driver {
        let files = FileManager.default
        for file in ["/sys/kernel/debug/rknpu/version", "/sys/module/rknpu/version"] {
            if let text = read(file) { return .rknpu(version: Self.version(in: text)) }
        }
        if files.fileExists(atPath: root + "/sys/module/rknpu") { return .rknpu(version: nil) }
        let accel = (try? files.contentsOfDirectory(atPath: root + "/dev/accel")) ?? []
        if files.fileExists(atPath: root + "/sys/module/rocket") || accel.contains(where: { $0.hasPrefix("accel") }) {
            return .rocket
        }
        return .none
    }

    /// The start-up log lines about the driver: (is it a warning, the text).
    public func report() -> [(warning: Bool, text: String)] {
        switch driver() {
        case .rknpu(let version?):
            return [(false, "NPU driver: rknpu \(version)")]
        case .rknpu(nil):
            return [(false, "NPU driver: rknpu (version unknown: /sys/kernel/debug/rknpu/version needs root)")]
        case .rocket:
            return [
                (
                    true,
                    "NPU driver: the mainline 'rocket' driver, not Rockchip's rknpu: the RKLLM runtime (1.3.0 "
                        + "certainly) needs the vendor rknpu driver; boot a vendor kernel (6.1 with rknpu 0.9.8 is "
                        + "the tested base)"
                )
            ]
        case .none:
            return [(false, "NPU driver: none found (no /sys/module/rknpu); .rkllm models need a Rockchip NPU")]
        }
    }

    /// The version in a driver's version text: `RKNPU driver: v0.9.8` gives `0.9.8`.
    static func version(in text: String) -> String? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ":" })
        guard let word = words.last(where: { $0.contains(".") && $0.contains(where: \.isNumber) }) else {
            let trimmed = words.joined(separator: " ")
            return trimmed.isEmpty ? nil : trimmed
        }
        return word.hasPrefix("v") ? String(word.dropFirst()) : String(word)
    }

    private func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: root + path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

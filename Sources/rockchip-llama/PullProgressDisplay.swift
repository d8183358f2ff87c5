import BenchReporting
import Glibc
import InferenceCore
import InferenceTypes

/// Shows the progress of `pull` on standard output: on a terminal, one bar redrawn in place with `\r`;
/// otherwise (a pipe, a log) plain lines, one per step and one per tenth of the download.
actor PullProgressDisplay {
    private static let barWidth = 25

    private let interactive: Bool
    private var barShown = false
    private var lastStatus: String?
    private var tenthsShown = -1
    private var downloadStart: (time: UInt64, completed: Int64)?

    /// A display for a terminal (`interactive`) or for plain output.
    init(interactive: Bool) {
        self.interactive = interactive
    }

    /// Shows one report.
    func show(_ progress: PullProgress) {
        let isDownload = progress.completed != nil
        defer { lastStatus = progress.status }
        guard isDownload else {
            endBar()
            Self.write(progress.status + "\n")
            return
        }
        let completed = progress.completed ?? 0
        if progress.status != lastStatus { downloadStart = (MonotonicClock.now(), completed) }
        if interactive {
            Self.write("\r" + barLine(progress, completed: completed) + "\u{1B}[K")
            barShown = true
        } else if let total = progress.total, total > 0 {
            let tenths = Int(completed * 10 / total)
            guard tenths > tenthsShown else { return }
            tenthsShown = tenths
            Self.write(progress.status + ": " + percent(completed, of: total) + " " + amounts(completed, total) + "\n")
        } else if progress.status != lastStatus {
            Self.write(progress.status + "\n")
        }
    }

    /// Ends a bar left on its line, before other output.
    func end() {
        endBar()
    }

    /// Writes `text` to standard output, unbuffered.
    nonisolated static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Glibc.write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    private func endBar() {
        if barShown { Self.write("\n") }
        barShown = false
    }

    private func barLine(_ progress: PullProgress, completed: Int64) -> String {
        var line = progress.status
        if let total = progress.total, total > 0 {
            let filled = Int(min(completed, total) * Int64(Self.barWidth) / total)
            line +=
                " " + percent(completed, of: total) + " ▕" + String(repeating: "█", count: filled)
                + String(repeating: " ", count: Self.barWidth - filled) + "▏ " + amounts(completed, total)
        } else {
            line += " " + Self.size(completed)
        }
        if let rate = rate(completed) { line += "  " + Self.size(rate) + "/s" }
        return line
    }

    private func percent(_ completed: Int64, of total: Int64) -> String {
        let value = String(completed * 100 / total) + "%"
        return String(repeating: " ", count: max(0, 4 - value.count)) + value
    }

    private func amounts(_ completed: Int64, _ total: Int64) -> String {
        Self.size(completed) + "/" + Self.size(total)
    }

    /// Bytes per second since the download started, once a second has passed.
    private func rate(_ completed: Int64) -> Int64? {
        guard let start = downloadStart else { return nil }
        let elapsed = MonotonicClock.since(start.time)
        guard elapsed >= 1_000_000_000 else { return nil }
        return (completed - start.completed) * 1_000_000_000 / Int64(elapsed)
    }

    private static func size(_ bytes: Int64) -> String {
        switch bytes {
        case ..<(1 << 20): Formatting.fixed(Double(bytes) / 1024, 0) + " KB"
        case ..<(1 << 30): Formatting.fixed(Double(bytes) / 1_048_576, 1) + " MB"
        default: Formatting.fixed(Double(bytes) / 1_073_741_824, 2) + " GB"
        }
    }
}

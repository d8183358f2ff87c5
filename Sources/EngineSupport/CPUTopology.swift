import FoundationEssentials

/// The machine's CPU cores as sysfs describes them, and the thread count a llama.cpp model runs best on when
/// the board also runs other programs.
///
/// llama.cpp's threads wait for each other at every step of a decode: one thread on a core that another
/// process keeps busy stalls them all, and decode collapses. So the default leaves room: on a big.LITTLE
/// system-on-chip (RK3588: four Cortex-A76 and four A55) it takes the big cores, which are the cores faster than
/// the slowest ones (the RK3588's two big clusters may be binned to slightly different frequencies); elsewhere
/// one fewer than the cores.
///
/// ggml's spin-wait (threadpool `poll`, 50 by default) is left alone: on a loaded 2-core machine a threadpool
/// with `poll = 0` made 2 threads 3-5x faster (1.2 → 6.0 tok/s) but left them 5-20x slower than 1 thread, so the
/// thread count is what keeps decode alive beside a busy core.
public enum CPUTopology {
    /// Where Linux describes the cores.
    public static let defaultSysfsRoot = "/sys/devices/system/cpu"

    /// The default number of threads for a machine with `cores` cores online, read from the sysfs tree at
    /// `sysfsRoot`: when the cores' maximum frequencies differ, the cores faster than the slowest; else
    /// `cores - 1`; at least 1.
    public static func defaultThreadCount(cores: Int, sysfsRoot: String = defaultSysfsRoot) -> Int {
        let frequencies = maximumFrequencies(sysfsRoot: sysfsRoot)
        if frequencies.count > 1, let highest = frequencies.values.max(),
            let lowest = frequencies.values.min(),
            highest > lowest
        {
            return frequencies.values.filter { $0 > lowest }.count
        }
        return max(1, cores - 1)
    }

    /// The maximum frequency (kHz) of each core, by core number, from `cpuN/cpufreq/cpuinfo_max_freq`; cores
    /// without one are left out.
    public static func maximumFrequencies(sysfsRoot: String = defaultSysfsRoot) -> [Int: Int] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: sysfsRoot) else { return [:] }
        var frequencies: [Int: Int] = [:]
        for name in names where name.hasPrefix("cpu") {
            guard let core = Int(name.dropFirst(3)), core >= 0,
                let bytes = try? ModelFile.contents(of: "\(sysfsRoot)/\(name)/cpufreq/cpuinfo_max_freq", limit: 64),
                let frequency = Int(String(decoding: bytes.prefix { (48...57).contains($0) }, as: UTF8.self)),
                frequency > 0
            else { continue }
            frequencies[core] = frequency
        }
        return frequencies
    }
}

import BenchReporting

/// Single-stream decode at the server's settings, alternately idle and with one core kept busy by a
/// busy-loop process, `runs` times each.
struct BenchSharing {
    let runs: Int
    let tokens: Int

    func run(_ target: BenchTarget) throws -> SharingFigures {
        let chat = BenchChat(target: target)
        var idle: [Double] = []
        var busy: [Double] = []
        for run in 0..<runs {
            BenchProgress.say("sharing: \(target.label), run \(run + 1)/\(runs)")
            let prompt = "(\(target.label) sharing \(run)) " + BenchPrompts.quality[run % BenchPrompts.quality.count]
            idle.append(try chat.answer([("user", prompt)], maxTokens: tokens).decodeTokensPerSecond)
            let loop = try BusyLoop()
            defer { loop.stop() }
            busy.append(try chat.answer([("user", prompt + " ")], maxTokens: tokens).decodeTokensPerSecond)
        }
        return SharingFigures(
            target: target.label, idleTokensPerSecond: BenchStatistics.median(idle),
            busyTokensPerSecond: BenchStatistics.median(busy))
    }
}

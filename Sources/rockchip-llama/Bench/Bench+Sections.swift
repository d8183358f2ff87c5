import BenchReporting
import EngineSupport
import FoundationEssentials
import Glibc
import InferenceTypes

extension Bench {
    /// The run's setup as the reports state it.
    func setup(sections: Set<BenchSection>) -> BenchSetup {
        let cpu =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("model name") || $0.hasPrefix("Model") }?.split(separator: ":").last
            .map { String($0.drop { $0 == " " || $0 == "\t" }) } ?? "unknown CPU"
        var name = utsname()
        uname(&name)
        let system = withUnsafeBytes(of: &name.sysname) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let release = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let machine = withUnsafeBytes(of: &name.machine) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let settings = [
            "sweep levels": sweep, "sweep rounds per client": "\(sweepRounds)", "sweep max_tokens": "\(sweepTokens)",
            "category runs": "\(categoryRuns)",
            "category max_tokens": "performance \(performanceTokens), quality \(qualityTokens)",
            "cache runs": "\(cacheRuns)", "cache system prompt": "\(BenchPrompts.systemPrompt.count) characters",
            "sharing": "\(sharingRuns) runs idle and busy, \(sharingTokens) tokens",
            "runaway": "\(runawayTokens)-token answer, \(runawayRuns) short requests each way",
            "dialects": "\(dialectRuns) rounds, \(dialectTokens) tokens per fresh prompt",
            "eos": "\(eosRuns) echo answers on the simulator with RKLLM_SIM_FAULT_WRONG_EOS=1",
            "images": "\(imageRounds) rounds of \(PathNames.fileName(imageFile)) and its PNG, in process",
        ]
        return BenchSetup(
            machine: "\(cpu), \(system) \(release) \(machine)", cores: ProcessInfo.processInfo.activeProcessorCount,
            model: PathNames.fileName(model), threads: resolvedThreads, contextLength: contextLength,
            serverArguments: [], peer: nil, date: Date.now.ISO8601Format(),
            sections: BenchSection.allCases.filter { sections.contains($0) }.map(\.rawValue), settings: settings)
    }

    /// The threads both servers run with: `--threads`, else the count our server's default (0) chooses on this
    /// machine, given explicitly to both so that they compare alike.
    var resolvedThreads: Int {
        threads ?? CPUTopology.defaultThreadCount(cores: ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Our server's arguments for the sections: `--threads`, and `--parallel` and `--cache-ram` when asked for
    /// and the server has them (they are noted otherwise), then `--server-arg`s as they are.
    func sectionServerArguments(_ base: [String], notes: inout [String]) throws -> [String] {
        var arguments = base
        arguments += ["--threads", "\(resolvedThreads)"]
        let help = try BenchServer.serveHelp()
        for (flag, value) in [("--parallel", parallel), ("--cache-ram", cacheRam)] {
            guard let value else { continue }
            if help.contains(flag) {
                arguments += [flag, "\(value)"]
            } else {
                notes.append("`\(flag) \(value)` was not passed: this server has no \(flag) option yet.")
            }
        }
        return arguments + serverArg
    }

    /// The sections other than `basics`, against our server and the peer.
    func measureSections(
        _ sections: Set<BenchSection>, descriptor: ModelDescriptor, directory: BenchModelsDirectory,
        serverArguments: [String], into figures: inout BenchFigures
    ) throws {
        let arguments = try sectionServerArguments(serverArguments, notes: &figures.notes)
        // The simulator reads its fault switches when the server's runner initialises the model.
        let eosLog = sections.contains(.eos) ? BenchEOS.switchFaultOn() : nil
        figures.setup.serverArguments = arguments
        BenchProgress.say("starting our server")
        let server = try BenchServer(modelsDirectory: directory.path, model: descriptor.id, arguments: arguments)
        defer { server.stop() }
        let ours = BenchTarget(label: "ours", client: server.client, model: descriptor.id, isOurs: true)
        var peerProcess: BenchPeer?
        defer { peerProcess?.stop() }
        var peerTarget: BenchTarget?
        if let against {
            var client = try BenchHTTPClient(url: against)
            client.origin = nil
            let name = try againstModel ?? BenchPeer.firstModel(of: client)
            peerTarget = BenchTarget(label: "peer", client: client, model: name, isOurs: false)
            figures.setup.peer = "\(against) (model \(name))"
        } else if let peer {
            if descriptor.format == .gguf {
                BenchProgress.say("starting the peer, llama-server")
                let process = try BenchPeer(
                    executable: peer, model: descriptor.path,
                    threads: resolvedThreads, contextPerSlot: contextLength)
                peerProcess = process
                let name = (try? BenchPeer.firstModel(of: process.client)) ?? descriptor.id
                peerTarget = BenchTarget(label: "peer", client: process.client, model: name, isOurs: false)
                figures.setup.peer = process.commandLine
            } else {
                figures.notes.append("No peer: llama-server runs .gguf models only.")
            }
        }
        let targets = [ours] + (peerTarget.map { [$0] } ?? [])
        func memory(_ target: BenchTarget) -> UInt64? {
            if target.isOurs {
                let runner = (try? server.runnerPID()).flatMap { $0 }
                return ((try? server.residentBytes()) ?? 0)
                    + (runner.flatMap { try? BenchServer.residentBytes(of: $0) } ?? 0)
            }
            return peerProcess.flatMap { try? BenchServer.residentBytes(of: $0.pid) }
        }
        if sections.contains(.categories) {
            let categories = BenchCategories(
                runs: categoryRuns, performanceTokens: performanceTokens, qualityTokens: qualityTokens)
            for target in targets {
                figures.categories += try categories.run(target) { memory(target) }
            }
        }
        if sections.contains(.sweep) {
            let levels = sweep.split(separator: ",").compactMap { Int($0.filter { $0 != " " }) }
                .filter { $0 > 0 }
            figures.sweep = try BenchSweep(levels: levels, rounds: sweepRounds, tokens: sweepTokens)
                .run(ours: ours, peer: peerTarget)
        }
        if sections.contains(.cache) {
            let cache = BenchCache(runs: cacheRuns)
            let oursOutcome = try cache.run(ours)
            let peerOutcome = try peerTarget.map { try cache.run($0) }
            figures.cache = BenchCache.rows(ours: oursOutcome, peer: peerOutcome)
        }
        if sections.contains(.sharing) {
            let sharing = BenchSharing(runs: sharingRuns, tokens: sharingTokens)
            figures.sharing = try targets.map { try sharing.run($0) }
        }
        if sections.contains(.runaway) {
            let runaway = BenchRunaway(longTokens: runawayTokens, runs: runawayRuns)
            figures.runaway = try targets.map { try runaway.run($0) }
        }
        if sections.contains(.dialects) {
            figures.dialects = try BenchDialects(runs: dialectRuns, tokens: dialectTokens).run(ours)
        }
        if let eosLog {
            figures.eos = try BenchEOS(runs: eosRuns, eventLog: eosLog).run(ours)
        }
    }

    /// The Markdown report on standard output, and the files asked for.
    func writeReports(_ figures: BenchFigures) throws {
        var sectionsOnly = figures
        sectionsOnly.basics = nil
        if figures.setup.sections != ["basics"] {
            print("")
            print(BenchMarkdownReport.render(sectionsOnly), terminator: "")
        }
        if let markdown {
            try Self.write(BenchMarkdownReport.render(figures), to: markdown)
        }
        if let json {
            try Self.write(BenchJSONReport.render(figures), to: json)
        }
        if let chart {
            let title =
                "rockchip-llama against \(figures.setup.peer == nil ? "nothing" : "llama-server"): "
                + figures.setup.model
            try Self.write(SweepChart.svg(figures.sweep, title: title), to: chart)
        }
    }

    private static func write(_ text: String, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw BenchHTTPClient.Failure(description: "cannot write \(path)")
        }
        BenchProgress.say("wrote \(path)")
    }
}

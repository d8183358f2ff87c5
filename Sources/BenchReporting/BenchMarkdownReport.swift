/// The Markdown report: one table per section, then how the figures were measured.
public enum BenchMarkdownReport {
    /// `figures` as a Markdown document.
    public static func render(_ figures: BenchFigures) -> String {
        let setup = figures.setup
        let peer = setup.peer == nil ? nil : "peer"
        var out = "# rockchip-llama bench: \(setup.model)\n\n"
        out += "\(setup.date) · \(setup.machine) · \(setup.cores) cores · threads \(threadsText(setup.threads))"
        out += " · context \(setup.contextLength) per slot\n\n"
        if !figures.categories.isEmpty { out += categories(figures.categories) }
        if !figures.sweep.isEmpty { out += sweep(figures.sweep, hasPeer: peer != nil) }
        if !figures.cache.isEmpty { out += cache(figures.cache, hasPeer: peer != nil) }
        if !figures.sharing.isEmpty { out += sharing(figures.sharing) }
        if !figures.runaway.isEmpty { out += runaway(figures.runaway) }
        if let eos = figures.eos { out += self.eos(eos) }
        if !figures.dialects.isEmpty { out += dialects(figures.dialects) }
        if let embeddings = figures.embeddings { out += self.embeddings(embeddings) }
        if !figures.images.isEmpty { out += images(figures.images) }
        if let basics = figures.basics {
            out += "## Engine alone and the server over HTTP\n\n```\n\(basics)```\n\n"
        }
        if !figures.notes.isEmpty {
            out += "## Notes\n\n" + figures.notes.map { "- \($0)\n" }.joined() + "\n"
        }
        out += method(setup)
        return out
    }

    private static func threadsText(_ threads: Int) -> String {
        threads == 0 ? "server default" : "\(threads)"
    }

    private static func ms(_ value: Double?) -> String {
        value.map { Formatting.fixed($0, 0) + " ms" } ?? "–"
    }

    private static func row(_ cells: [String]) -> String {
        "| " + cells.joined(separator: " | ") + " |\n"
    }

    private static func header(_ cells: [String]) -> String {
        row(cells) + row(cells.map { _ in "---" })
    }

    private static func summary(_ value: BenchSummary, _ digits: Int) -> [String] {
        [value.mean, value.median, value.min, value.max].map { Formatting.fixed($0, digits) }
    }

    static func categories(_ rows: [CategoryFigures]) -> String {
        var out = "## Prompt categories\n\n"
        out += header(["server", "category", "figure", "mean", "median", "min", "max"])
        for figures in rows {
            let name = "\(figures.category) (\(figures.requests) requests, ≤ \(figures.maxTokens) tokens)"
            out += row([figures.target, name, "TTFT (ms)"] + summary(figures.ttftMillis, 0))
            out += row(["", "", "decode (tok/s)"] + summary(figures.decodeTokensPerSecond, 1))
            out += row(["", "", "input (tok/s)"] + summary(figures.inputTokensPerSecond, 1))
            out += row(["", "", "output tokens"] + summary(figures.outputTokens, 0))
            if let resident = figures.residentBytes {
                out += row(["", "", "memory", Formatting.megabytes(resident), "", "", ""])
            }
        }
        return out + "\n"
    }

    static func sweep(_ points: [SweepPoint], hasPeer: Bool) -> String {
        var out = "## Concurrency sweep\n\n"
        var columns = ["clients", "ours tok/s", "ours TTFT p50", "ours TTFT p99"]
        if hasPeer { columns += ["peer tok/s", "peer TTFT p50", "peer TTFT p99", "ours / peer tok/s"] }
        out += header(columns)
        let single = points.first { $0.clients == 1 }?.ours?.aggregateTokensPerSecond
        for point in points {
            var cells = ["\(point.clients)"]
            if let ours = point.ours {
                var rate = Formatting.fixed(ours.aggregateTokensPerSecond, 1)
                if let single, single > 0, point.clients > 1 {
                    rate += " (" + Formatting.fixed(ours.aggregateTokensPerSecond / single, 2) + "x)"
                }
                if ours.refused > 0 { rate += ", \(ours.refused) refused" }
                cells += [rate, ms(ours.ttftP50Millis), ms(ours.ttftP99Millis)]
            } else {
                cells += ["–", "–", "–"]
            }
            if hasPeer {
                if let peer = point.peer {
                    cells += [
                        Formatting.fixed(peer.aggregateTokensPerSecond, 1), ms(peer.ttftP50Millis),
                        ms(peer.ttftP99Millis),
                    ]
                    let ratio = point.ours.map { $0.aggregateTokensPerSecond / peer.aggregateTokensPerSecond }
                    cells.append(ratio.map { Formatting.fixed($0, 2) } ?? "–")
                } else {
                    cells += ["–", "–", "–", "–"]
                }
            }
            out += row(cells)
        }
        return out + "\n"
    }

    static func cache(_ rows: [CacheRow], hasPeer: Bool) -> String {
        var out = "## Prompt cache (time to first token)\n\n"
        var columns = ["scenario", "ours", "speed-up"]
        if hasPeer { columns += ["peer", "speed-up"] }
        columns.append("note")
        out += header(columns)
        let cold = rows.first { $0.scenario == "cold" }
        func speedUp(_ value: Double?, _ coldValue: Double?) -> String {
            guard let value, let coldValue, value > 0 else { return "–" }
            return Formatting.fixed(coldValue / value, 1) + "x"
        }
        for entry in rows {
            var cells = [entry.label, ms(entry.oursMillis), speedUp(entry.oursMillis, cold?.oursMillis)]
            if hasPeer { cells += [ms(entry.peerMillis), speedUp(entry.peerMillis, cold?.peerMillis)] }
            cells.append(entry.note ?? "")
            out += row(cells)
        }
        return out + "\n"
    }

    static func sharing(_ rows: [SharingFigures]) -> String {
        var out = "## Sharing the board (single-stream decode, one core kept busy)\n\n"
        out += header(["server", "idle tok/s", "one core busy tok/s", "busy / idle"])
        for entry in rows {
            out += row([
                entry.target, Formatting.fixed(entry.idleTokensPerSecond, 1),
                Formatting.fixed(entry.busyTokensPerSecond, 1), Formatting.fixed(entry.ratio, 2),
            ])
        }
        return out + "\n"
    }

    static func eos(_ entry: EOSFigures) -> String {
        var out = "## The wrong-EOS workaround (rknn-llm #534, simulator)\n\n"
        out += header(["runtime", "requests", "finish stop", "tokens after EOS: max", "mean", "without it, up to"])
        out += row([
            entry.runtime, "\(entry.requests)", "\(entry.stopped)", "\(entry.maxAfterEOS)",
            Formatting.fixed(entry.meanAfterEOS, 2), "\(entry.maxTokens)",
        ])
        return out + "\n"
    }

    static func runaway(_ rows: [RunawayFigures]) -> String {
        var out = "## A runaway answer (a short request beside a long one)\n\n"
        out += header(["server", "short TTFT idle", "beside the long one", "ratio", "long answer's tokens by then"])
        for entry in rows {
            out += row([
                entry.target, ms(entry.idleTTFTMillis), ms(entry.duringTTFTMillis), Formatting.fixed(entry.ratio, 2),
                "\(entry.longTokensBefore) of ≤ \(entry.longMaxTokens)",
            ])
        }
        return out + "\n"
    }

    static func dialects(_ rows: [DialectFigures]) -> String {
        var out = "## Dialects (our server, same model and prompts; against its chat completions)\n\n"
        out += header([
            "route", "TTFT", "vs chat", "decode tok/s", "vs chat", "cached TTFT", "vs chat", "cached tokens",
        ])
        let chat = rows.first { $0.dialect == "chat" }
        for entry in rows {
            let ttftDelta = chat.map { Formatting.signed(entry.ttftMillis - $0.ttftMillis, 1) + " ms" } ?? "–"
            let decode = chat.map { ratio(entry.decodeTokensPerSecond, $0.decodeTokensPerSecond) } ?? "–"
            let cached = chat.map { ratio(entry.cachedTTFTMillis, $0.cachedTTFTMillis) } ?? "–"
            out += row([
                entry.route, Formatting.fixed(entry.ttftMillis, 1) + " ms", ttftDelta,
                Formatting.fixed(entry.decodeTokensPerSecond, 1), decode,
                Formatting.fixed(entry.cachedTTFTMillis, 1) + " ms", cached, Formatting.fixed(entry.cachedTokens, 0),
            ])
        }
        return out + "\n"
    }

    static func images(_ rows: [ImageFigures]) -> String {
        let target = rows.first?.targetSize ?? ""
        var out = "## Image preprocessing (decode, pad to a square and resize to \(target), normalise)\n\n"
        out += header([
            "format", "file", "file size", "pixels", "rounds", "decode median", "total median", "total p90",
            "total CPU median",
        ])
        for entry in rows {
            out += row([
                entry.format, entry.file, Formatting.fixed(Double(entry.fileBytes) / 1024, 0) + " KB", entry.imageSize,
                "\(entry.rounds)", Formatting.fixed(entry.decodeMedianMillis, 2) + " ms",
                Formatting.fixed(entry.medianMillis, 2) + " ms", Formatting.fixed(entry.p90Millis, 2) + " ms",
                Formatting.fixed(entry.cpuMedianMillis, 2) + " ms",
            ])
        }
        out += "\nIn process, one thread, after a warm-up round; the PNG is the same scene without the JPEG's grain."
        return out + " CPU time is the thread's own, which other processes on a busy machine do not add to.\n\n"
    }

    private static func ratio(_ value: Double, _ base: Double) -> String {
        base > 0 ? Formatting.fixed(value / base, 3) : "–"
    }

    static func method(_ setup: BenchSetup) -> String {
        var out = "## How this was measured\n\n"
        out += "- Machine: \(setup.machine), \(setup.cores) cores.\n"
        out += "- Model: \(setup.model); threads: \(threadsText(setup.threads)); context \(setup.contextLength)"
        out += " per slot.\n"
        out += "- Our server: `rockchip-llama serve " + setup.serverArguments.joined(separator: " ") + "`.\n"
        if let peer = setup.peer { out += "- Peer: `\(peer)`.\n" }
        out += "- Sections: " + setup.sections.joined(separator: ", ") + ".\n"
        out += "- Every request is a streamed `/v1/chat/completions` (the dialects section's also `/v1/responses` and"
        out += " `/v1/messages`) at temperature 0, timed by the bench's own"
        out += " client: TTFT is from sending the request to the first content token; decode is tokens after the"
        out += " first over the time from the first to the last; input speed is the prompt tokens the server"
        out += " reports (`usage`) over TTFT. Sweep levels run our server and then the peer, level by level, so"
        out += " that drift hits both. p99 is nearest-rank.\n"
        for key in setup.settings.keys.sorted() {
            out += "- \(key): \(setup.settings[key] ?? "")\n"
        }
        return out
    }
}

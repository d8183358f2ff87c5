/// The sweep as an SVG chart, written by hand: two panels, aggregate decode throughput and median time to first
/// token against concurrent clients, our server and the peer as two labelled series on each.
public enum SweepChart {
    /// One line of a panel.
    struct Series {
        var name: String
        var color: String
        var dashed: Bool
        var values: [Double?]
    }

    static let panelWidth = 420.0
    static let panelHeight = 300.0
    static let margin = (left: 70.0, right: 20.0, top: 50.0, bottom: 60.0)

    /// The chart of `points`; `title` heads it, `peerName` labels the peer's series.
    public static func svg(_ points: [SweepPoint], title: String, peerName: String = "llama-server") -> String {
        let width = 2 * (margin.left + panelWidth + margin.right)
        let height = margin.top + panelHeight + margin.bottom + 30
        var out = #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n"
        out += #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(number(width))" height="\#(number(height))" "#
        out += #"viewBox="0 0 \#(number(width)) \#(number(height))" font-family="sans-serif" font-size="12">"# + "\n"
        out += #"<rect width="100%" height="100%" fill="white"/>"# + "\n"
        out += text(width / 2, 22, title, anchor: "middle", size: 16, weight: "bold")
        let clients = points.map(\.clients)
        let hasPeer = points.contains { $0.peer != nil }
        func series(_ value: (LoadFigures) -> Double) -> [Series] {
            var lines = [
                Series(
                    name: "rockchip-llama", color: "#1f77b4", dashed: false, values: points.map { $0.ours.map(value) })
            ]
            if hasPeer {
                lines.append(
                    Series(name: peerName, color: "#ff7f0e", dashed: true, values: points.map { $0.peer.map(value) }))
            }
            return lines
        }
        out += panel(
            id: "throughput", x: 0, title: "Aggregate decode", yLabel: "tokens/s", clients: clients,
            series: series(\.aggregateTokensPerSecond))
        out += panel(
            id: "ttft", x: margin.left + panelWidth + margin.right, title: "Time to first token (p50)",
            yLabel: "ms", clients: clients, series: series(\.ttftP50Millis))
        out += "</svg>\n"
        return out
    }

    static func panel(id: String, x originX: Double, title: String, yLabel: String, clients: [Int], series: [Series])
        -> String
    {
        let left = originX + margin.left
        let top = margin.top
        let bottom = top + panelHeight
        let right = left + panelWidth
        let maximum = niceCeiling(series.flatMap { $0.values.compactMap { $0 } }.max() ?? 0)
        func xPosition(_ index: Int) -> Double {
            clients.count > 1
                ? left + 20 + Double(index) * (panelWidth - 40) / Double(clients.count - 1) : (left + right) / 2
        }
        func yPosition(_ value: Double) -> Double { bottom - value / maximum * panelHeight }
        var out = #"<g id="\#(id)">"# + "\n"
        out += text((left + right) / 2, top - 12, title, anchor: "middle", size: 14, weight: "bold")
        // The y axis: five gridlines with their values.
        out += #"<g class="y-axis">"# + "\n"
        for step in 0...5 {
            let value = maximum * Double(step) / 5
            let y = yPosition(value)
            out += line(left, y, right, y, color: step == 0 ? "#000" : "#ddd")
            out += text(left - 6, y + 4, tick(value), anchor: "end")
        }
        out += line(left, top, left, bottom, color: "#000")
        out += text(originX + 18, (top + bottom) / 2, yLabel, anchor: "middle", rotate: true)
        out += "</g>\n"
        // The x axis: one tick per level, evenly spaced (the levels double).
        out += #"<g class="x-axis">"# + "\n"
        for (index, count) in clients.enumerated() {
            let x = xPosition(index)
            out += line(x, bottom, x, bottom + 5, color: "#000")
            out += text(x, bottom + 18, "\(count)", anchor: "middle")
        }
        out += text((left + right) / 2, bottom + 38, "concurrent clients", anchor: "middle")
        out += "</g>\n"
        for (index, entry) in series.enumerated() {
            let points = entry.values.enumerated().compactMap { position, value in
                value.map { (xPosition(position), yPosition($0)) }
            }
            out += #"<g class="series" data-name="\#(escape(entry.name))">"# + "\n"
            if points.count > 1 {
                let path = points.map { number($0.0) + "," + number($0.1) }.joined(separator: " ")
                out += #"<polyline points="\#(path)" fill="none" stroke="\#(entry.color)" stroke-width="2""#
                out += (entry.dashed ? #" stroke-dasharray="6 4""# : "") + "/>\n"
            }
            for point in points {
                out += #"<circle cx="\#(number(point.0))" cy="\#(number(point.1))" r="3.5" fill="\#(entry.color)"/>"#
                out += "\n"
            }
            // The legend, inside the panel's top left corner.
            let legendY = top + 14 + Double(index) * 16
            out += line(
                left + 10, legendY - 4, left + 34, legendY - 4, color: entry.color, width: 2, dashed: entry.dashed)
            out += text(left + 40, legendY, entry.name, anchor: "start")
            out += "</g>\n"
        }
        return out + "</g>\n"
    }

    /// The smallest 1, 2 or 5 × 10ⁿ at or above `value` (1 for nothing to show).
    static func niceCeiling(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return 1 }
        var scale = 1.0
        while scale * 10 <= value { scale *= 10 }
        while scale > value { scale /= 10 }
        for factor in [1.0, 2, 5, 10] where factor * scale >= value { return factor * scale }
        return 10 * scale
    }

    static func tick(_ value: Double) -> String {
        value >= 10 || value == 0 ? Formatting.fixed(value, 0) : Formatting.fixed(value, 1)
    }

    static func number(_ value: Double) -> String { Formatting.fixed(value, 1) }

    static func line(
        _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, color: String, width: Double = 1, dashed: Bool = false
    ) -> String {
        #"<line x1="\#(number(x1))" y1="\#(number(y1))" x2="\#(number(x2))" y2="\#(number(y2))" "#
            + #"stroke="\#(color)" stroke-width="\#(number(width))""# + (dashed ? #" stroke-dasharray="6 4""# : "")
            + "/>\n"
    }

    static func text(
        _ x: Double, _ y: Double, _ content: String, anchor: String, size: Int = 12, weight: String = "normal",
        rotate: Bool = false
    ) -> String {
        let transform = rotate ? #" transform="rotate(-90 \#(number(x)) \#(number(y)))""# : ""
        return #"<text x="\#(number(x))" y="\#(number(y))" text-anchor="\#(anchor)" font-size="\#(size)" "#
            + #"font-weight="\#(weight)"\#(transform)>\#(escape(content))</text>"# + "\n"
    }

    /// `text` safe inside an XML attribute or element.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.append(character)
            }
        }
        return out
    }
}

import BenchReporting
import FoundationEssentials
import FoundationXML
import Testing

@Suite("Sweep chart")
struct SweepChartTests {
    /// The chart parsed as XML.
    func document(_ points: [SweepPoint], title: String = "tiny & <model>") throws -> XMLDocument {
        try XMLDocument(xmlString: SweepChart.svg(points, title: title, peerName: "llama-server"))
    }

    func texts(_ node: XMLNode) throws -> [String] {
        try node.nodes(forXPath: ".//*[local-name()='text']").compactMap(\.stringValue)
    }

    @Test("the chart is well-formed SVG with a throughput and a TTFT panel, each with both series and axes")
    func structure() throws {
        let document = try document(sampleFigures().sweep)
        let root = try #require(document.rootElement())
        #expect(root.name == "svg")
        #expect(try texts(root).contains("tiny & <model>"))
        for id in ["throughput", "ttft"] {
            let panel = try #require(try root.nodes(forXPath: ".//*[@id='\(id)']").first)
            let series = try panel.nodes(forXPath: ".//*[@class='series']")
            #expect(series.count == 2)
            #expect(try panel.nodes(forXPath: ".//*[local-name()='polyline']").count == 2)
            let xAxis = try #require(try panel.nodes(forXPath: ".//*[@class='x-axis']").first)
            #expect(try texts(xAxis) == ["1", "4", "concurrent clients"])
            let yAxis = try #require(try panel.nodes(forXPath: ".//*[@class='y-axis']").first)
            #expect(try texts(yAxis).contains(id == "throughput" ? "tokens/s" : "ms"))
            #expect(try texts(panel).contains("rockchip-llama"))
            #expect(try texts(panel).contains("llama-server"))
        }
    }

    @Test("the y axis reaches a round value above the largest figure")
    func scale() throws {
        let document = try document(sampleFigures().sweep)
        let panel = try #require(try document.nodes(forXPath: "//*[@id='throughput']").first)
        let yAxis = try #require(try panel.nodes(forXPath: ".//*[@class='y-axis']").first)
        // 120 tokens/s at most: the axis goes to 200 in steps of 40.
        #expect(try texts(yAxis).prefix(6) == ["0", "40", "80", "120", "160", "200"])
    }

    @Test("without a peer there is one series per panel, and an empty sweep is still a valid chart")
    func oursOnly() throws {
        let points = sampleFigures().sweep.map { SweepPoint(clients: $0.clients, ours: $0.ours, peer: nil) }
        let document = try document(points)
        #expect(try document.nodes(forXPath: "//*[@class='series']").count == 2)
        #expect(try self.document([]).rootElement()?.name == "svg")
    }
}

import EngineSupport
import InferenceTypes
import Testing

@Suite struct StopSequenceMatcherTests {
    /// Feeds pieces and returns what was sent on and whether it stopped.
    private func run(_ pieces: [String], stops: [String]) -> (String, Bool) {
        var matcher = StopSequenceMatcher(stops: stops)
        var output = ""
        for piece in pieces {
            let outcome = matcher.feed(piece)
            output += outcome.text
            if outcome.stopped { return (output, true) }
        }
        return (output + matcher.flush(), false)
    }

    @Test func stopsBeforeAStopStringSplitAcrossPieces() {
        let (text, stopped) = run(["Hello ", "wor", "ld. EN", "D here"], stops: ["END"])
        #expect(stopped)
        #expect(text == "Hello world. ")
    }

    @Test func releasesAPartialMatchThatDidNotComplete() {
        let (text, stopped) = run(["The E", "ND", "ing"], stops: ["ENDX"])
        #expect(!stopped)
        #expect(text == "The ENDing")
    }

    @Test func earliestOfSeveralStopsWins() {
        let (text, stopped) = run(["a<b>c<a>"], stops: ["<a>", "<b>"])
        #expect(stopped)
        #expect(text == "a")
    }

    @Test func withoutStopsEverythingPassesAtOnce() {
        var matcher = StopSequenceMatcher(stops: [])
        #expect(matcher.feed("abc") == .init(text: "abc"))
    }

    @Test func holdsBackOnlyWhatCouldStartAStop() {
        var matcher = StopSequenceMatcher(stops: ["\n\n"])
        #expect(matcher.feed("line\n").text == "line")
        #expect(matcher.feed("more").text == "\nmore")
    }
}

import EngineSupport
import InferenceTypes
import Testing

@Suite struct UTF8AccumulatorTests {
    @Test func holdsBackACharacterSplitAcrossPieces() {
        var accumulator = UTF8Accumulator()
        let bytes = Array("añ€😀!".utf8)
        var output = ""
        var emittedPartial = false
        for byte in bytes {
            let text = accumulator.append([byte])
            emittedPartial = emittedPartial || text.unicodeScalars.contains("\u{FFFD}")
            output += text
        }
        output += accumulator.flush()
        #expect(output == "añ€😀!")
        #expect(!emittedPartial)
    }

    @Test func passesWholeCharactersAtOnce() {
        var accumulator = UTF8Accumulator()
        #expect(accumulator.append(Array("héllo".utf8)) == "héllo")
        #expect(accumulator.flush() == "")
    }

    @Test func replacesBytesThatCanNeverBeValid() {
        var accumulator = UTF8Accumulator()
        let text = accumulator.append([0x61, 0xFF, 0x62])
        #expect(text == "a\u{FFFD}b")
    }

    @Test func flushesAnUnfinishedCharacterAsReplacement() {
        var accumulator = UTF8Accumulator()
        #expect(accumulator.append([0x61, 0xE2, 0x82]) == "a")
        #expect(accumulator.flush() == "\u{FFFD}")
    }
}

/// Reads a streamed HTTP answer as server-sent events: the status line first, then each complete event (the text
/// before a blank line; chunked-encoding size lines in between are left in and ignored by the event readers).
enum BenchEventReader {
    /// What the answer was: its status, and the body of a refusal (any status but 200).
    struct Outcome {
        var status = 0
        var body = ""
    }

    /// Calls `event` with each complete event and the time its piece arrived, until it returns `true` (the last
    /// event: the reader hangs up) or the stream ends; `stop`, asked after each piece, hangs up early when it
    /// returns `true`.
    static func read(
        _ stream: BenchStream, stop: () -> Bool = { false }, event: (String, Double) -> Bool
    ) -> Outcome {
        var outcome = Outcome()
        var pending = ""
        var head = true
        while let (time, text) = stream.read() {
            pending += text
            if head {
                guard let end = pending.firstRange(of: "\r\n\r\n") else { continue }
                let statusLine = pending[..<end.lowerBound].split(separator: "\r\n").first ?? ""
                outcome.status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
                pending = String(pending[end.upperBound...])
                head = false
                if outcome.status != 200 {
                    while let (_, more) = stream.read() { pending += more }
                    outcome.body = pending
                    return outcome
                }
            }
            while let end = pending.firstRange(of: "\n\n") {
                let text = String(pending[..<end.lowerBound])
                pending = String(pending[end.upperBound...])
                if event(text, time) {
                    stream.hangUp()
                    return outcome
                }
            }
            if stop() {
                stream.hangUp()
                break
            }
        }
        return outcome
    }
}

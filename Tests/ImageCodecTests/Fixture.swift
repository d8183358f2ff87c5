import Foundation
import ImageCodec

/// The committed fixtures (made by Fixtures/make-fixtures.py) and what Pillow decodes them to.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// A fixture's bytes.
    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// The expected RGB pixels of `name` (its `.rgb` file).
    static func expected(_ name: String) throws -> [UInt8] {
        let stem = (name as NSString).deletingPathExtension
        return try bytes(stem + ".rgb")
    }

    /// The mean absolute difference of each channel, R G B.
    static func meanAbsoluteError(_ a: [UInt8], _ b: [UInt8]) -> [Double] {
        var sums = [0.0, 0.0, 0.0]
        for index in 0..<min(a.count, b.count) {
            sums[index % 3] += Double(abs(Int(a[index]) - Int(b[index])))
        }
        let pixels = Double(max(1, min(a.count, b.count) / 3))
        return sums.map { $0 / pixels }
    }
}

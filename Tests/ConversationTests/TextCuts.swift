/// The ways to cut `text` into pieces: whole, in two at every Unicode scalar boundary, and one scalar at a time.
func cuts(of text: String) -> [[String]] {
    let scalars = Array(text.unicodeScalars)
    func string(_ slice: ArraySlice<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: slice)
        return String(view)
    }
    var result = [[text]]
    for index in 1..<max(scalars.count, 1) {
        result.append([string(scalars[..<index]), string(scalars[index...])])
    }
    result.append(scalars.map { String($0) })
    return result
}

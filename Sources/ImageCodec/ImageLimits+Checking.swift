extension ImageLimits {
    /// Throws unless an image of this size may be decoded: both sides at least 1 and at most `maxSide`, and at
    /// most `maxPixels` in all. Called with the header's figures, before anything is allocated for the pixels.
    func check(width: Int, height: Int) throws(ImageDecodingError) {
        guard width > 0, height > 0 else {
            throw ImageDecodingError("the image is \(width)x\(height) pixels: a side of zero pixels")
        }
        guard width <= maxSide, height <= maxSide, width * height <= maxPixels else {
            throw ImageDecodingError(
                "the image is \(width)x\(height) pixels, more than the \(maxSide) pixels a side or "
                    + "\(maxPixels) pixels in all accepted")
        }
    }
}

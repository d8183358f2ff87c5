/// Applies an EXIF orientation (1...8) so the image reads upright.
enum ImageOrientation {
    /// The image turned or mirrored as `orientation` says; 1 (or anything outside 2...8) leaves it as it is.
    static func apply(_ orientation: Int, to image: DecodedImage) -> DecodedImage {
        guard (2...8).contains(orientation) else { return image }
        let width = image.width
        let height = image.height
        let swaps = orientation >= 5
        let outWidth = swaps ? height : width
        let outHeight = swaps ? width : height
        var rgb = [UInt8](repeating: 0, count: image.rgb.count)
        for y in 0..<outHeight {
            for x in 0..<outWidth {
                // Where the output pixel (x, y) comes from in the stored image.
                let (sx, sy): (Int, Int)
                switch orientation {
                case 2: (sx, sy) = (width - 1 - x, y)
                case 3: (sx, sy) = (width - 1 - x, height - 1 - y)
                case 4: (sx, sy) = (x, height - 1 - y)
                case 5: (sx, sy) = (y, x)
                case 6: (sx, sy) = (y, height - 1 - x)
                case 7: (sx, sy) = (width - 1 - y, height - 1 - x)
                default: (sx, sy) = (width - 1 - y, x)
                }
                let source = (sy * width + sx) * 3
                let target = (y * outWidth + x) * 3
                rgb[target] = image.rgb[source]
                rgb[target + 1] = image.rgb[source + 1]
                rgb[target + 2] = image.rgb[source + 2]
            }
        }
        return DecodedImage(width: outWidth, height: outHeight, rgb: rgb)
    }
}

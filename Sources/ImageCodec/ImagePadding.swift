/// Pads an image to an encoder's aspect ratio, centred, as Rockchip's multimodal demo does before resizing.
enum ImagePadding {
    /// The canvas height for an image wider than the preparation's ratio, or nil when it needs no rows added.
    static func canvasHeight(_ image: DecodedImage, for preparation: ImagePreparation) -> Int? {
        guard image.width * preparation.height > image.height * preparation.width else { return nil }
        let height = (image.width * preparation.height + preparation.width / 2) / preparation.width
        return height > image.height ? height : nil
    }

    /// The colour padding is filled with (mid grey when the preparation's is not three values).
    static func color(_ preparation: ImagePreparation) -> [UInt8] {
        preparation.padColor.count >= 3 ? Array(preparation.padColor.prefix(3)) : [127, 127, 127]
    }

    /// The image centred on a canvas of `preparation`'s aspect ratio filled with its pad colour; the image itself
    /// when it already has that ratio.
    static func padded(_ image: DecodedImage, to preparation: ImagePreparation) -> DecodedImage {
        // Compare width / height with the target's by cross-multiplying, exactly.
        let wide = image.width * preparation.height
        let tall = image.height * preparation.width
        var width = image.width
        var height = image.height
        if wide > tall {
            height = (image.width * preparation.height + preparation.width / 2) / preparation.width
        } else if tall > wide {
            width = (image.height * preparation.width + preparation.height / 2) / preparation.height
        }
        guard width != image.width || height != image.height else { return image }
        let color = color(preparation)
        var rgb = [UInt8](repeating: 0, count: width * height * 3)
        for index in 0..<(width * height) {
            rgb[3 * index] = color[0]
            rgb[3 * index + 1] = color[1]
            rgb[3 * index + 2] = color[2]
        }
        let left = (width - image.width) / 2
        let top = (height - image.height) / 2
        let rowBytes = image.width * 3
        for row in 0..<image.height {
            let target = ((top + row) * width + left) * 3
            rgb.replaceSubrange(
                target..<(target + rowBytes), with: image.rgb[(row * rowBytes)..<((row + 1) * rowBytes)])
        }
        return DecodedImage(width: width, height: height, rgb: rgb)
    }
}

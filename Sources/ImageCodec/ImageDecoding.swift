/// The formats the decoder reads.
public enum ImageFormat: String, Sendable, Hashable {
    case jpeg, png
}

/// What an image file says of itself before its pixels are decoded.
public struct ImageHeader: Sendable, Hashable {
    /// The file's format.
    public var format: ImageFormat
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int

    /// Creates a header.
    public init(format: ImageFormat, width: Int, height: Int) {
        self.format = format
        self.width = width
        self.height = height
    }
}

/// A decoded image: 8-bit RGB, rows top to bottom, no padding (`width * height * 3` bytes).
public struct DecodedImage: Sendable, Hashable {
    /// Width in pixels.
    public var width: Int
    /// Height in pixels.
    public var height: Int
    /// The pixels, R G B per pixel.
    public var rgb: [UInt8]

    /// Creates an image.
    public init(width: Int, height: Int, rgb: [UInt8]) {
        self.width = width
        self.height = height
        self.rgb = rgb
    }
}

/// Why an image cannot be used, in words a client can act on.
public struct ImageDecodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong ("not a JPEG or PNG file", "truncated JPEG data", "8000x9000 pixels is more than ...").
    public var reason: String

    /// Creates an error.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

/// Bounds that keep a hostile file from exhausting memory or time.
public struct ImageLimits: Sendable, Hashable {
    /// The largest width or height accepted.
    public var maxSide: Int
    /// The most pixels accepted (width times height).
    public var maxPixels: Int

    /// Creates limits.
    public init(maxSide: Int = 8192, maxPixels: Int = 40_000_000) {
        self.maxSide = maxSide
        self.maxPixels = maxPixels
    }
}

/// Reads JPEG (baseline and progressive) and PNG files into RGB pixels.
public enum ImageDecoder {
    /// The format and size of an image file, read from its header only; throws when the bytes are not a
    /// JPEG or PNG file, or when its size is beyond `limits`.
    public static func header(of bytes: [UInt8], limits: ImageLimits = ImageLimits()) throws(ImageDecodingError)
        -> ImageHeader
    {
        let header: ImageHeader
        switch try ImageFormat.sniff(bytes) {
        case .jpeg: header = try JPEGDecoder.header(of: bytes)
        case .png: header = try PNGDecoder.header(of: bytes).imageHeader
        }
        try limits.check(width: header.width, height: header.height)
        return header
    }

    /// Decodes the whole file; throws a clear error for a damaged, truncated or oversized one, never crashes.
    public static func decode(_ bytes: [UInt8], limits: ImageLimits = ImageLimits()) throws(ImageDecodingError)
        -> DecodedImage
    {
        switch try ImageFormat.sniff(bytes) {
        case .jpeg: try JPEGDecoder.decode(bytes, limits: limits)
        case .png: try PNGDecoder.decode(bytes, limits: limits)
        }
    }
}

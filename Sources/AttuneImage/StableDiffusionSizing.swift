// Bringing an input image to a size Stable Diffusion accepts: the VAE downsamples by 8, so both sides must be
// multiples of 8. The image is scaled (keeping its aspect) until it covers the requested size, then centre-cropped.

/// The image resized so that its short side fits (it covers `width` x `height`), then centre-cropped to exactly that
/// size, and a note saying what changed ("resized 640x480 -> 683x512, center-cropped to 512x512"), nil if nothing did.
/// A mask of the same original size prepared the same way lines up with the image.
public func prepareForStableDiffusion(_ image: Image, width: Int = 512, height: Int = 512) throws -> (image: Image, note: String?) {
    guard width > 0, height > 0, width % 8 == 0, height % 8 == 0 else {
        throw ImageError.invalidTargetSize(width: width, height: height)
    }
    precondition(image.width > 0 && image.height > 0, "prepareForStableDiffusion: empty \(image.width)x\(image.height) image")
    if image.width == width && image.height == height { return (image, nil) }

    let scale = max(Double(width) / Double(image.width), Double(height) / Double(image.height))
    // Rounding could land one pixel short of the target on the covering side; never go below it.
    let scaledWidth = max(width, Int((Double(image.width) * scale).rounded()))
    let scaledHeight = max(height, Int((Double(image.height) * scale).rounded()))
    var steps: [String] = []
    var result = image
    if scaledWidth != image.width || scaledHeight != image.height {
        result = image.resized(width: scaledWidth, height: scaledHeight)
        steps.append("resized \(image.width)x\(image.height) -> \(scaledWidth)x\(scaledHeight)")
    }
    if scaledWidth != width || scaledHeight != height {
        result = result.centerCropped(width: width, height: height)
        steps.append(steps.isEmpty
            ? "center-cropped \(image.width)x\(image.height) to \(width)x\(height)"
            : "center-cropped to \(width)x\(height)")
    }
    return (result, steps.joined(separator: ", "))
}

// Image resizing, separable and chosen per axis:
// - shrinking an axis averages areas: output pixel i covers source interval [i*s, (i+1)*s) with s = in/out, and each
//   source pixel is weighted by its overlap (cv2.INTER_AREA; PIL's BOX filter);
// - enlarging an axis interpolates bilinearly with half-pixel centres: source position (i + 0.5) * s - 0.5, clamped
//   to the edge pixels (cv2.INTER_LINEAR; torch interpolate with align_corners=False);
// - an axis whose size does not change is copied.
// Rows are resampled first, then columns.

/// For each output index, the first source index and the weights of consecutive source samples from there.
struct ResamplingWeights {
    var starts: [Int] = []
    var offsets: [Int] = [0]
    var weights: [Float] = []

    init(from inSize: Int, to outSize: Int) {
        precondition(inSize > 0 && outSize > 0, "ResamplingWeights: sizes must be positive, got \(inSize) -> \(outSize)")
        let scale = Double(inSize) / Double(outSize)
        for i in 0..<outSize {
            if outSize < inSize {
                let lo = Double(i) * scale, hi = Double(i + 1) * scale
                let first = Int(lo.rounded(.down)), last = min(Int(hi.rounded(.up)), inSize)
                append(start: first, (first..<last).map { j in
                    Float((min(hi, Double(j + 1)) - max(lo, Double(j))) / scale)
                })
            } else if outSize > inSize {
                let position = min(max((Double(i) + 0.5) * scale - 0.5, 0), Double(inSize - 1))
                let left = min(Int(position), max(inSize - 2, 0))
                let fraction = Float(position - Double(left))
                append(start: left, inSize == 1 ? [1] : [1 - fraction, fraction])
            } else {
                append(start: i, [1])
            }
        }
    }

    private mutating func append(start: Int, _ taps: [Float]) {
        starts.append(start)
        weights += taps
        offsets.append(weights.count)
    }

    /// out[i * outStride] = sum_k w_k * in[(start_i + k) * inStride]
    func apply(_ input: UnsafePointer<Float>, stride inStride: Int, into output: UnsafeMutablePointer<Float>, stride outStride: Int) {
        for i in 0..<starts.count {
            var sum: Float = 0
            var source = input + starts[i] * inStride
            for k in offsets[i]..<offsets[i + 1] {
                sum += weights[k] * source.pointee
                source += inStride
            }
            output[i * outStride] = sum
        }
    }
}

extension Image {
    /// This image resampled to `width` x `height` (area averaging when shrinking, bilinear when enlarging, per axis).
    public func resized(width newWidth: Int, height newHeight: Int) -> Image {
        precondition(newWidth > 0 && newHeight > 0 && width > 0 && height > 0,
                     "Image: cannot resize \(width)x\(height) to \(newWidth)x\(newHeight)")
        if newWidth == width && newHeight == height { return self }
        let horizontal = ResamplingWeights(from: width, to: newWidth)
        let vertical = ResamplingWeights(from: height, to: newHeight)
        var rows = [Float](repeating: 0, count: channels * height * newWidth)
        var out = [Float](repeating: 0, count: channels * newHeight * newWidth)
        pixels.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { mid in
                for r in 0..<(channels * height) {
                    horizontal.apply(src.baseAddress! + r * width, stride: 1, into: mid.baseAddress! + r * newWidth, stride: 1)
                }
            }
        }
        rows.withUnsafeBufferPointer { mid in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<channels {
                    for x in 0..<newWidth {
                        vertical.apply(mid.baseAddress! + c * height * newWidth + x, stride: newWidth,
                                       into: dst.baseAddress! + c * newHeight * newWidth + x, stride: newWidth)
                    }
                }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: channels, pixels: out)
    }
}

extension Image {
    /// Nearest-neighbour resize as torch's F.interpolate(mode="nearest"): destination (x, y) reads source
    /// (floor(x·W/w), floor(y·H/h)). Masks are resized to attention layers this way.
    public func resizedNearest(width newWidth: Int, height newHeight: Int) -> Image {
        if newWidth == width && newHeight == height { return self }
        let columns = (0..<newWidth).map { min(width - 1, Int(Double($0) * Double(width) / Double(newWidth))) }
        var out = [Float](repeating: 0, count: channels * newWidth * newHeight)
        for c in 0..<channels {
            for y in 0..<newHeight {
                let row = (c * height + min(height - 1, Int(Double(y) * Double(height) / Double(newHeight)))) * width
                let dst = (c * newHeight + y) * newWidth
                for x in 0..<newWidth { out[dst + x] = pixels[row + columns[x]] }
            }
        }
        return Image(width: newWidth, height: newHeight, channels: channels, pixels: out)
    }
}

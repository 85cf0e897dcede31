// Pictures made from other pictures for the preview and inspector: side-by-side and wipe compares,
// heat-map overlays, and the tinted mask overlay.

extension Picture {
    /// `self` on the left, `other` (resized to the same height) on the right, with a 2-pixel gap.
    public func sideBySide(_ other: Picture, gap: RGB = RGB(0, 0, 0)) -> Picture {
        let right = other.resized(width: max(1, other.width * height / other.height), height: height)
        var out = Picture(width: width + 2 + right.width, height: height, color: gap)
        for y in 0..<height {
            for x in 0..<width { out[x, y] = self[x, y] }
            for x in 0..<right.width { out[width + 2 + x, y] = right[x, y] }
        }
        return out
    }

    /// Left of `fraction` shows `self`, right shows `other` (resized to this size), split by a 1-pixel line.
    public func wipe(_ other: Picture, at fraction: Double, line: RGB = RGB(255, 255, 255)) -> Picture {
        let right = other.resized(width: width, height: height)
        let split = Int((Double(width) * min(max(fraction, 0), 1)).rounded())
        var out = self
        for y in 0..<height {
            for x in split..<width { out[x, y] = right[x, y] }
            if split < width { out[split, y] = line }
        }
        return out
    }

    /// Blends a scalar field (row-major, `fieldWidth`×`fieldHeight`, values 0...1) over the picture:
    /// each pixel takes the field's nearest sample through `color`, mixed in by `alpha` times `weight(value)`.
    public func overlaid(
        field: [Float], fieldWidth: Int, fieldHeight: Int, alpha: Double,
        color: (Float) -> RGB, weight: (Float) -> Double = { _ in 1 }
    ) -> Picture {
        precondition(field.count == fieldWidth * fieldHeight, "overlay field \(fieldWidth)x\(fieldHeight) has \(field.count) values")
        var out = self
        for y in 0..<height {
            let fy = min(fieldHeight - 1, y * fieldHeight / height)
            for x in 0..<width {
                let value = field[fy * fieldWidth + min(fieldWidth - 1, x * fieldWidth / width)]
                out[x, y] = self[x, y].mixed(with: color(value), amount: alpha * weight(value))
            }
        }
        return out
    }

    /// A scalar field drawn on its own through a colormap, at `width`×`height`.
    public static func heatMap(_ field: [Float], fieldWidth: Int, fieldHeight: Int, width: Int, height: Int) -> Picture {
        Picture(width: width, height: height, color: RGB(0, 0, 0))
            .overlaid(field: field, fieldWidth: fieldWidth, fieldHeight: fieldHeight, alpha: 1, color: Colormap.heat)
    }
}

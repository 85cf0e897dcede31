// Canny edge detection as OpenCV's cv2.Canny(image, low, high) with its defaults (3x3 Sobel with replicated
// borders, L1 gradient magnitude |dx| + |dy|, non-maximum suppression along four directions decided with
// tan 22.5° in fixed point, hysteresis over 8-neighbours): the condition for sketch and canny T2I-Adapters.
// Follows the algorithm of OpenCV's modules/imgproc/src/canny.cpp.

public enum Canny {
    /// Edges (1) and non-edges (0) of a picture, computed on its 8-bit gray version.
    public static func edges(_ image: Image, low: Int = 100, high: Int = 200) -> Image {
        let gray = image.grayscale()
        let pixels = gray.pixels.map { UInt8(max(0, min(255, ($0 * 255).rounded()))) }
        let map = edges(pixels, width: gray.width, height: gray.height, low: low, high: high)
        return Image(width: gray.width, height: gray.height, channels: 1, pixels: map.map { $0 ? 1 : 0 })
    }

    /// The edge map of an 8-bit gray image (row-major).
    public static func edges(_ src: [UInt8], width w: Int, height h: Int, low: Int, high: Int) -> [Bool] {
        precondition(src.count == w * h, "Canny: \(src.count) pixels for \(w)x\(h)")
        guard w > 0 && h > 0 else { return [] }
        let (low, high) = (min(low, high), max(low, high))
        func at(_ x: Int, _ y: Int) -> Int { Int(src[min(max(y, 0), h - 1) * w + min(max(x, 0), w - 1)]) }
        var dx = [Int](repeating: 0, count: w * h), dy = dx, mag = dx
        for y in 0..<h {
            for x in 0..<w {
                let gx = (at(x + 1, y - 1) + 2 * at(x + 1, y) + at(x + 1, y + 1)) - (at(x - 1, y - 1) + 2 * at(x - 1, y) + at(x - 1, y + 1))
                let gy = (at(x - 1, y + 1) + 2 * at(x, y + 1) + at(x + 1, y + 1)) - (at(x - 1, y - 1) + 2 * at(x, y - 1) + at(x + 1, y - 1))
                dx[y * w + x] = gx
                dy[y * w + x] = gy
                mag[y * w + x] = abs(gx) + abs(gy)
            }
        }
        func m(_ x: Int, _ y: Int) -> Int { x < 0 || y < 0 || x >= w || y >= h ? 0 : mag[y * w + x] }
        // 0: candidate (weak), 1: not an edge, 2: strong edge.
        var state = [UInt8](repeating: 1, count: w * h)
        var stack: [Int] = []
        let tg22 = 13573  // tan(22.5°) * 2^15
        for y in 0..<h {
            var previousStrong = false
            for x in 0..<w {
                let i = y * w + x, v = mag[i]
                guard v > low else { previousStrong = false; continue }
                let ax = abs(dx[i]), ay = abs(dy[i]) << 15
                let tg22x = ax * tg22
                let isMaximum: Bool
                if ay < tg22x {
                    isMaximum = v > m(x - 1, y) && v >= m(x + 1, y)
                } else if ay > tg22x + (ax << 16) {
                    isMaximum = v > m(x, y - 1) && v >= m(x, y + 1)
                } else {
                    let s = (dx[i] ^ dy[i]) < 0 ? -1 : 1
                    isMaximum = v > m(x - s, y - 1) && v > m(x + s, y + 1)
                }
                guard isMaximum else { previousStrong = false; continue }
                if v > high && !previousStrong && (y == 0 || state[i - w] != 2) {
                    state[i] = 2
                    stack.append(i)
                    previousStrong = true
                } else {
                    state[i] = 0
                    previousStrong = false
                }
            }
        }
        // Hysteresis: weak candidates 8-connected to a strong edge become edges.
        while let i = stack.popLast() {
            let x = i % w, y = i / w
            for ny in max(0, y - 1)...min(h - 1, y + 1) {
                for nx in max(0, x - 1)...min(w - 1, x + 1) where state[ny * w + nx] == 0 {
                    state[ny * w + nx] = 2
                    stack.append(ny * w + nx)
                }
            }
        }
        return state.map { $0 == 2 }
    }
}

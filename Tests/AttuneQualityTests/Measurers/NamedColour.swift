// Colour names of the micro-SD world, by hue. Mirrors Tools/microsd/measure.py (pixel_colour,
// dominant_colour) and the base colours of Tools/microsd/world.py: a dark pixel is black, a grey one white,
// gray or black by lightness, any other the chromatic colour of nearest hue; an object's colour is the most
// frequent name among its pixels.
import AttuneImage

enum NamedColour {
    /// world.py's base colours (0-255); the chromatic ones define the hue prototypes.
    static let base: [String: SIMD3<Float>] = [
        "red": [215, 35, 35], "orange": [240, 135, 25], "yellow": [235, 210, 35], "green": [45, 165, 65],
        "blue": [40, 85, 215], "purple": [135, 55, 185], "pink": [240, 125, 185], "white": [245, 245, 240],
        "black": [25, 25, 25], "gray": [128, 128, 128],
    ]
    static let chromatic = ["red", "orange", "yellow", "green", "blue", "purple", "pink"]
    static let darkValue: Float = 0.25
    static let greySaturation: Float = 0.25
    static let whiteValue: Float = 0.8

    static let hues: [(name: String, hue: Float)] = chromatic.map { ($0, hsv(base[$0]! / 255).h) }

    /// (hue in degrees, saturation, value) of an RGB colour in [0, 1], as Python's colorsys.rgb_to_hsv.
    static func hsv(_ c: SIMD3<Float>) -> (h: Float, s: Float, v: Float) {
        let mx = c.max(), mn = c.min()
        guard mx > 0 else { return (0, 0, 0) }
        let s = (mx - mn) / mx
        guard mx > mn else { return (0, s, mx) }
        let d = mx - mn
        let rc = (mx - c.x) / d, gc = (mx - c.y) / d, bc = (mx - c.z) / d
        var h: Float
        if c.x == mx { h = bc - gc } else if c.y == mx { h = 2 + rc - bc } else { h = 4 + gc - rc }
        h = (h / 6).truncatingRemainder(dividingBy: 1)
        if h < 0 { h += 1 }
        return (h * 360, s, mx)
    }

    /// The name of one colour given on the 0-255 scale.
    static func name(_ rgb: SIMD3<Float>) -> String {
        let (h, s, v) = hsv(rgb / 255)
        if v < darkValue { return "black" }
        if s < greySaturation { return v > whiteValue ? "white" : (v > darkValue * 2 ? "gray" : "black") }
        func distance(_ a: Float) -> Float { min(abs(h - a), 360 - abs(h - a)) }
        return hues.min { distance($0.hue) < distance($1.hue) }!.name
    }

    /// The most frequent name among the mask's pixels; nil for an empty mask. Pixels are quantised to 16
    /// levels per channel first, as measure.py does.
    static func dominant(_ image: Image, in mask: PixelMask) -> String? {
        var votes: [String: Int] = [:]
        for y in 0..<image.height { for x in 0..<image.width where mask[x, y] {
            let q = SceneSegmentation.rgb(image, x, y).rounded(.toNearestOrEven)
            let cell = (q / 16).rounded(.down) * 16 + 8
            votes[name(cell), default: 0] += 1
        } }
        return votes.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key
    }
}

// `attune canny`: the edge map of a picture (OpenCV's Canny), the condition of sketch and canny T2I-Adapters.
import ArgumentParser
import AttuneImage
import Foundation

struct CannyEdges: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "canny", abstract: "Canny edges of a picture, as an adapter condition.")

    @Option(help: "Input picture (PNG).") var image: String
    @Option(help: "Lower hysteresis threshold (on |dx| + |dy| of 3x3 Sobel, 8-bit scale).") var low = 100
    @Option(help: "Upper hysteresis threshold.") var high = 200
    @Option(help: "Fit to this width first (a multiple of 8), like the edit's source.") var width: Int?
    @Option(help: "Fit to this height first.") var height: Int?
    @Option(name: .shortAndLong, help: "Output PNG (white edges on black).") var output: String

    func run() throws {
        var picture = try PNGFile.read(URL(fileURLWithPath: image)).image
        if let width, let height { picture = try prepareForStableDiffusion(picture, width: width, height: height).image }
        try PNGFile.write(Canny.edges(picture, low: low, high: high), to: URL(fileURLWithPath: output))
        note("wrote \(output)")
    }
}

// Plain generation follows the prompt: the measured colour and shape of the main object agree with the
// prompt's, on solid backgrounds, for every shape of the world over fixed seeds.
import Foundation
import Testing

@Suite(.serialized) struct GenerationQualityTests {
    /// (colour, shape, background): every shape twice, varied colours and backgrounds.
    static let cases: [(String, String, String)] = [
        ("red", "circle", "white"), ("blue", "square", "yellow"), ("green", "triangle", "white"), ("yellow", "star", "blue"),
        ("purple", "ring", "white"), ("orange", "cross", "blue"), ("pink", "heart", "green"), ("black", "circle", "orange"),
        ("white", "star", "purple"), ("red", "square", "gray"), ("blue", "heart", "white"), ("green", "ring", "pink"),
        ("yellow", "triangle", "black"), ("purple", "cross", "yellow"),
    ]
    static let seeds: [UInt64] = [1, 2]

    static func prompt(_ colour: String, _ shape: String, _ background: String) -> String {
        "\(article(colour)) \(colour) \(shape) on \(article(background)) \(background) background"
    }

    static func article(_ word: String) -> String { "aeiou".contains(word.first ?? "x") ? "an" : "a" }

    @Test func generationFollowsThePrompt() throws {
        let pairs = Self.cases.flatMap { c in Self.seeds.map { (Self.prompt(c.0, c.1, c.2), $0) } }
        let expected = Self.cases.flatMap { c in Self.seeds.map { _ in (colour: c.0, shape: c.1) } }
        let images = try MicroModel.generate(pairs)
        var colours = 0, shapes = 0, rows: [String] = []
        for (i, image) in images.enumerated() {
            let reading = ObjectReading(image)
            colours += reading.colour == expected[i].colour ? 1 : 0
            shapes += reading.shape == expected[i].shape ? 1 : 0
            rows.append("seed \(pairs[i].1) \"\(pairs[i].0)\": \(reading)")
        }
        let colourRate = QualityFigures.rate(colours, images.count), shapeRate = QualityFigures.rate(shapes, images.count)
        QualityFigures.report("plain generation follows the prompt (\(images.count) pictures)", rows: rows, summary: [
            "right colour \(colours)/\(images.count) = \(QualityFigures.percent(colourRate)) (needed 90%)",
            "right shape \(shapes)/\(images.count) = \(QualityFigures.percent(shapeRate)) (needed 70%)",
        ])
        #expect(colourRate >= 0.9)
        #expect(shapeRate >= 0.7)
    }
}

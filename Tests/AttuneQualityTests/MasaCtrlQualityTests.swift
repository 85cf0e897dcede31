// MasaCtrl's promise, measured: "a red circle" -> "a red square" keeps the source's colour and background
// while the shape changes. Figures per seed and in summary, beside plain generation of the target prompt
// from the same x_T (no attention control).
import AttuneEditing
import AttuneImage
import Foundation
import Testing

@Suite(.serialized) struct MasaCtrlQualityTests {
    static let seeds: [UInt64] = Array(1...10)
    static let source = "a red circle on a white background"
    static let target = "a red square on a white background"

    /// The background kept: PSNR between the source and an edited picture outside both pictures' objects.
    static func backgroundPSNR(_ trial: EditTrial, _ picture: KeyPath<EditTrial, Image>) -> Double {
        let mask = (ObjectReading(trial.source).mask | ObjectReading(trial[keyPath: picture]).mask).dilated(2)
        return ImageComparison.psnr(trial.source, trial[keyPath: picture], outside: mask)
    }

    @Test func masactrlChangesTheShapeAndKeepsColourAndBackground() throws {
        var record = EditTrials.record(.masactrl, source: Self.source, target: Self.target)
        record.startStep = 4
        record.startLayer = 10
        let trials = try EditTrials.run(record, seeds: Self.seeds)
        var figures = EditFigures()
        var rows: [String] = []
        for trial in trials {
            let source = ObjectReading(trial.source), edited = ObjectReading(trial.target), plain = ObjectReading(trial.plain)
            let editedPSNR = Self.backgroundPSNR(trial, \.target), plainPSNR = Self.backgroundPSNR(trial, \.plain)
            figures.add(method: (edited.colour == "red", edited.shape == "square", editedPSNR),
                        plain: (plain.colour == "red", plain.shape == "square", plainPSNR))
            rows.append("seed \(trial.seed): source \(source) | MasaCtrl \(edited), background \(QualityFigures.decibels(editedPSNR)) | plain \(plain), background \(QualityFigures.decibels(plainPSNR))")
        }
        QualityFigures.report("MasaCtrl \"\(Self.source)\" -> \"\(Self.target)\" (S 4, L 10)", rows: rows, summary: figures.summary(
            colour: "colour kept (red)", shape: "shape changed to square", psnr: "background PSNR outside the objects"))
        #expect(figures.method.colour >= 0.8)
        #expect(figures.method.shape >= 0.5)
        #expect(figures.method.psnr >= 25)
    }
}

/// Per-seed hits of a colour check and a shape check and a PSNR, for the method and plain generation.
struct EditFigures {
    private var methodRows: [(Bool, Bool, Double)] = []
    private var plainRows: [(Bool, Bool, Double)] = []

    mutating func add(method: (Bool, Bool, Double), plain: (Bool, Bool, Double)) {
        methodRows.append(method)
        plainRows.append(plain)
    }

    static func totals(_ rows: [(Bool, Bool, Double)]) -> (colour: Double, shape: Double, psnr: Double) {
        (QualityFigures.rate(rows.filter(\.0).count, rows.count), QualityFigures.rate(rows.filter(\.1).count, rows.count),
         QualityFigures.mean(rows.map(\.2)))
    }

    var method: (colour: Double, shape: Double, psnr: Double) { Self.totals(methodRows) }
    var plain: (colour: Double, shape: Double, psnr: Double) { Self.totals(plainRows) }

    func summary(colour: String, shape: String, psnr: String) -> [String] {
        let m = method, p = plain
        return [
            "\(colour): method \(QualityFigures.percent(m.colour)), plain \(QualityFigures.percent(p.colour))",
            "\(shape): method \(QualityFigures.percent(m.shape)), plain \(QualityFigures.percent(p.shape))",
            "\(psnr) (mean): method \(QualityFigures.decibels(m.psnr)), plain \(QualityFigures.decibels(p.psnr))",
        ]
    }
}

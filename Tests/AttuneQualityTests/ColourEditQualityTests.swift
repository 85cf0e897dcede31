// Free-Prompt-Editing and Prompt-to-Prompt, measured: "red" -> "blue" changes the object's colour and keeps
// its shape and place (IoU of the source's and the edit's object masks). Plain generation of the target
// prompt from the same x_T is measured beside them.
import AttuneEditing
import Foundation
import Testing

@Suite(.serialized) struct ColourEditQualityTests {
    static let seeds: [UInt64] = Array(1...10)
    static let source = "a red circle on a white background"
    static let target = "a blue circle on a white background"

    @Test(arguments: [EditMethod.fpe, .p2p])
    func colourSwapKeepsTheShape(_ method: EditMethod) throws {
        let record = EditTrials.record(method, source: Self.source, target: Self.target)
        let trials = try EditTrials.run(record, seeds: Self.seeds)
        var rows: [String] = []
        var methodHits = 0, plainHits = 0, methodIoU: [Double] = [], plainIoU: [Double] = []
        for trial in trials {
            let source = ObjectReading(trial.source), edited = ObjectReading(trial.target), plain = ObjectReading(trial.plain)
            let e = ImageComparison.iou(source.mask, edited.mask), p = ImageComparison.iou(source.mask, plain.mask)
            methodHits += edited.colour == "blue" ? 1 : 0
            plainHits += plain.colour == "blue" ? 1 : 0
            methodIoU.append(e)
            plainIoU.append(p)
            rows.append("seed \(trial.seed): source \(source) | \(method.rawValue) \(edited), IoU \(QualityFigures.fraction(e)) | plain \(plain), IoU \(QualityFigures.fraction(p))")
        }
        let colour = QualityFigures.rate(methodHits, trials.count), iou = QualityFigures.mean(methodIoU)
        QualityFigures.report("\(method.rawValue) \"\(Self.source)\" -> \"\(Self.target)\"", rows: rows, summary: [
            "colour changed to blue: method \(QualityFigures.percent(colour)), plain \(QualityFigures.percent(QualityFigures.rate(plainHits, trials.count)))",
            "object-mask IoU with the source (mean): method \(QualityFigures.fraction(iou)), plain \(QualityFigures.fraction(QualityFigures.mean(plainIoU)))",
        ])
        #expect(colour >= 0.8)
        #expect(iou >= 0.7)
    }
}

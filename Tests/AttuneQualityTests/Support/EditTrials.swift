// One edit run over several seeds with the micro model, each beside plain generation of the target prompt
// from the same x_T: the method's figures and the figures without attention control come from these.
import AttuneEditing
import AttuneImage
import Foundation

struct EditTrial {
    let seed: UInt64
    /// The source branch's picture, the method's target, and plain generation of the target prompt.
    let source: Image
    let target: Image
    let plain: Image
}

enum EditTrials {
    /// A record for the micro model with the method's reference defaults: 128x128, MicroModel's steps and guidance,
    /// a generated source of `seed`.
    static func record(_ method: EditMethod, source: String, target: String, seed: UInt64 = 0) -> EditRecord {
        var r = EditRecord(method: method, seed: seed, sourcePrompt: source, targetPrompt: target)
        r.applyDefaults(of: method)
        r.steps = MicroModel.steps
        r.guidance = MicroModel.guidance
        r.width = MicroModel.size
        r.height = MicroModel.size
        return r
    }

    /// Runs `template` once per seed (its seed replaced). `prepare` may adjust each record (a mask from the
    /// source, say) given the plain source picture of that seed.
    static func run(_ template: EditRecord, seeds: [UInt64], prepare: ((inout EditRecord, Image) throws -> Void)? = nil) throws -> [EditTrial] {
        let session = EditSession(model: MicroModel.sd, cacheLimitBytes: 0)
        let plains = try MicroModel.generate(seeds.map { (template.targetPrompt, $0) })
        let sources = prepare == nil ? [] : try MicroModel.generate(seeds.map { (template.sourcePrompt, $0) })
        return try seeds.enumerated().map { i, seed in
            var r = template
            r.seed = seed
            if let prepare { try prepare(&r, sources[i]) }
            let outcome = try session.run(r)
            return EditTrial(seed: seed, source: outcome.source, target: outcome.target, plain: plains[i])
        }
    }
}

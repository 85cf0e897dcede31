// `attune bench unet`: the full-size SD 1.5 UNet (and text encoder and VAE decoder) with random weights
// built in memory, timed per forward; optionally beside diffusers on PyTorch (Tools/bench/torch_unet.py --serve),
// whose forwards alternate with Attune's so that both are timed over the same minutes of the host.
import ArgumentParser
import AttuneModels
import AttuneTensor
import Foundation

struct BenchUNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unet", abstract: "Seconds per SD 1.5 UNet forward (random weights), text encoder and VAE decode.")

    @Option(help: "Repetitions per case (the best is reported).") var repeats = 2
    @Option(help: "Weight storage: f32 or f16.") var dtype = "f32"
    @Option(parsing: .upToNextOption, help: "Latent sides to time.") var latents: [Int] = [32, 64]
    @Flag(help: "Skip the VAE decoder (slow: ~2.5 TFLOP at 512x512).") var skipVAE = false
    @Option(help: "Also time PyTorch with this script (Tools/bench/torch_unet.py), alternating forwards, and print the ratio.")
    var torch: String?
    @Flag(help: "Profile one more forward of each UNet case: time per op kind and shape (with --torch, beside PyTorch's per kind).")
    var profile = false

    func run() throws {
        print(BenchEnvironment.header)
        guard let storage = DType(rawValue: dtype.uppercased()) else {
            throw ValidationError("--dtype must be f32, f16 or bf16")
        }
        let baseline = try torch.map { try TorchServer(script: $0) }
        defer { baseline?.stop() }
        let unet = UNet(randomWeights(storage), configuration: .sd15)
        let context = randomTensor([2, 77, 768], seed: 3)
        // "x sgemm" and "x peak": the case's GFLOP/s over a square sgemm's and over the cores' multiply-add ceiling
        // (MachinePeak), both measured just before it (the host's speed varies). Winograd convolutions count the
        // FLOPs of the direct product, so a whole UNet can exceed 1 on both.
        print(pad("case", 26), "     s/forward   GFLOP   GFLOP/s x sgemm x peak cpu/wall   peak RSS" + (baseline == nil ? "" : "   torch s   torch/attune"))
        for side in latents {
            for batch in [1, 2] {
                let x = randomTensor([batch, 4, side, side], seed: 1)
                let ctx = slice(context, axis: 0, start: 0, length: batch)
                let ceilings = (sgemm: squareSgemmRate(flops: 3.2e10, repeats: 3), peak: MachinePeak.fmaRate())
                let (t, flops, torchSeconds) = try timed(baseline, "unet \(side) \(batch)") { _ = unet(x, timestep: 981, context: ctx) }
                report("unet \(side)x\(side) batch \(batch)", t, flops, torchSeconds, ceilings: ceilings)
                if profile {
                    OpProfile.start()
                    let start = DispatchTime.now().uptimeNanoseconds
                    _ = unet(x, timestep: 981, context: ctx)
                    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                    let rows = OpProfile.stop()
                    // cpu/wall per kind: below the core count, part of that op's time ran on fewer cores.
                    for row in rows.kinds {
                        print("    " + pad(row.op, 12) + String(format: " %5d calls %8.3f s  cpu/wall %4.2f", row.calls, row.seconds,
                                                                  row.cpuSeconds / row.seconds))
                    }
                    print("    slowest shapes:")
                    for row in rows.shapes.prefix(16) {
                        print("    " + pad(row.op, 44) + String(format: " %4d calls %8.3f s %7.1f GFLOP/s  cpu/wall %4.2f", row.calls,
                                                                  row.seconds, row.flops / row.seconds / 1e9, row.cpuSeconds / row.seconds))
                    }
                    if let baseline { try compareKinds(seconds, rows.shapes, baseline.profile("unet \(side) \(batch)")) }
                }
            }
        }
        let text = CLIPTextModel(randomWeights(storage), configuration: .sd15)
        let ids = [[Int32](repeating: 49407, count: 77)]
        let (tt, tf, torchText) = try timed(baseline, "text") { _ = text(ids) }
        report("text encoder 77 tokens", tt, tf, torchText)
        if !skipVAE {
            let vae = AutoencoderKL(randomWeights(storage), configuration: .sd15)
            let side = latents.max() ?? 64
            let z = randomTensor([1, 4, side, side], seed: 2)
            let (vt, vf, torchVAE) = try timed(baseline, "vae \(side)", repeats: 1) { _ = vae.decode(z) }
            report("vae decode \(side * 8)x\(side * 8)", vt, vf, torchVAE)
        }
    }

    /// The fastest run's wall and CPU seconds, the FLOPs of one run (counted during the warm-up) and, with a
    /// baseline, PyTorch's fastest time for `name`, each of whose forwards runs just before one of ours.
    func timed(_ baseline: TorchServer?, _ name: String, repeats: Int? = nil, _ body: () -> Void) throws
        -> ((wall: Double, cpu: Double, walls: [Double]), Double, [Double]?) {
        var flops = 0.0
        var first = true
        var torchSeconds: [Double] = []
        let t = try timing(repeats ?? self.repeats, before: { if let baseline { torchSeconds.append(try baseline.time(name)) } }) {
            if first {
                flops = FLOPCounter.measure(body).flops
                first = false
            } else {
                body()
            }
        }
        return (t, flops, baseline == nil ? nil : torchSeconds)
    }

    func report(_ name: String, _ t: (wall: Double, cpu: Double, walls: [Double]), _ flops: Double, _ torch: [Double]?,
                ceilings: (sgemm: Double, peak: Double)? = nil) {
        let seconds = t.wall
        let rate = flops / seconds / 1e9
        var line = pad(name, 26) + String(format: " %12.3f %7.1f %9.1f ", seconds, flops / 1e9, rate)
            + (ceilings.map { String(format: "%7.2f %6.2f", rate / $0.sgemm, rate / $0.peak) } ?? String(repeating: " ", count: 14))
            + String(format: " %8.2f %8.2f GB", t.cpu / t.wall, peakResidentGB())
        if let torchSeconds = torch?.min() { line += String(format: " %9.3f %10.2fx", torchSeconds, torchSeconds / seconds) }
        print(line)
        if let torch {
            // Each PyTorch forward ran just before one of Attune's: the pairs' ratios show how much the host moved.
            func seconds(_ s: [Double]) -> String { s.map { String(format: "%.3f", $0) }.joined(separator: " ") }
            let pairs = zip(torch, t.walls).map { String(format: "%.2fx", $0 / $1) }.joined(separator: " ")
            print("    each run: torch \(seconds(torch)) s, attune \(seconds(t.walls)) s, torch/attune \(pairs)")
        }
    }

    /// Attune's profiled forward beside PyTorch's, in the script's kinds of op: which kinds make the ratio.
    func compareKinds(_ seconds: Double, _ shapes: [OpProfile.Row], _ torch: (seconds: Double, kinds: [String: Double])) {
        // 1x1 convolutions are plain matrix products in both engines, grouped with the linear layers.
        func kind(_ row: OpProfile.Row) -> String? {
            if row.op.hasPrefix("conv2d 1x1") || row.op.hasPrefix("linear ") { return TorchServer.kinds[1] }
            if row.op.hasPrefix("conv2d 3x3") { return TorchServer.kinds[0] }
            if row.op.hasPrefix("attention ") { return TorchServer.kinds[2] }
            return nil
        }
        var ours = [String: Double]()
        for row in shapes { if let k = kind(row) { ours[k, default: 0] += row.seconds } }
        print("    per kind, beside one PyTorch forward under torch.profiler:")
        print("    " + pad("kind", 36) + "  attune s   torch s  torch/attune")
        func line(_ name: String, _ a: Double, _ t: Double) { print("    " + pad(name, 36) + String(format: " %9.3f %9.3f %12.2fx", a, t, t / a)) }
        for k in TorchServer.kinds { line(k, ours[k] ?? 0, torch.kinds[k] ?? 0) }
        line("everything else", seconds - ours.values.reduce(0, +), torch.seconds - torch.kinds.values.reduce(0, +))
        line("whole forward", seconds, torch.seconds)
    }

    func randomWeights(_ dtype: DType) -> WeightStore { randomWeightStore(dtype) }
}

/// Random weights of the right shapes: norms 1/0, other tensors uniform with variance 1/fan-in
/// (keeps activations finite: denormals or infinities would distort the timing).
func randomWeightStore(_ dtype: DType) -> WeightStore {
    var seed: UInt64 = 10
    return WeightStore(generating: { key, shape in
        seed += 1
        if shape.count == 1 { return Tensor(filling: key.contains("norm") && key.hasSuffix("weight") ? 1 : 0, shape: shape) }
        let fanIn = shape.dropFirst().reduce(1, *)
        return (randomTensor(shape, seed: seed) * (12 / Float(fanIn)).squareRoot()).converted(to: dtype)
    }, origin: "random weights")
}

func peakResidentGB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1_048_576  // kB on Linux
}

/// The PyTorch benchmark script in its --serve mode: it holds the models and times one forward per request.
final class TorchServer {
    /// The kinds of op that the script's profiles report (its KINDS).
    static let kinds = ["3x3 convolutions", "linear layers and 1x1 convolutions", "attention"]

    private let process = Process()
    private let requests = Pipe(), answers = Pipe()
    private var pending = Data()
    let script: String

    init(script: String) throws {
        self.script = script
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--serve"]
        process.standardInput = requests
        process.standardOutput = answers
        print("starting \(script) (PyTorch); its forwards alternate with Attune's")
        // A script that dies must make the next request fail with an error, not end this process.
        signal(SIGPIPE, SIG_IGN)
        try process.run()
    }

    /// Seconds of one PyTorch forward of `name` ("unet 64 1", "text", "vae 64"); the first request of a name
    /// also runs an untimed warm-up.
    func time(_ name: String) throws -> Double { try request(name).seconds }

    /// One forward of `name` under torch.profiler: its seconds and the seconds of each kind of op in it (the
    /// script's KINDS), the profiler's overhead included in the forward.
    func profile(_ name: String) throws -> (seconds: Double, kinds: [String: Double]) {
        let (seconds, json) = try request("profile " + name)
        // Kinds named differently here and in the script would leave rows empty on one side.
        guard let kinds = json["kinds"] as? [String: Double], Set(kinds.keys) == Set(Self.kinds) else {
            throw TorchServerError(description: "\(script) answered \(json["kinds"] ?? "no kinds") to a profile of \(name.debugDescription); "
                + "expected seconds for \(Self.kinds)")
        }
        return (seconds, kinds)
    }

    private func request(_ name: String) throws -> (seconds: Double, json: [String: Any]) {
        do {
            try requests.fileHandleForWriting.write(contentsOf: Data((name + "\n").utf8))
        } catch {
            throw stopped()
        }
        let line = try readLine()
        guard let json = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              json["case"] as? String == name, let seconds = json["seconds"] as? Double else {
            throw TorchServerError(description: "\(script) answered \(line.debugDescription) to \(name.debugDescription)")
        }
        return (seconds, json)
    }

    private func readLine() throws -> String {
        while true {
            if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending = Data(pending[(newline + 1)...])
                return line
            }
            let chunk = answers.fileHandleForReading.availableData
            if chunk.isEmpty { throw stopped() }
            pending.append(chunk)
        }
    }

    private func stopped() -> TorchServerError {
        process.waitUntilExit()
        return TorchServerError(description: "\(script) stopped with status \(process.terminationStatus) before answering")
    }

    /// An empty line ends the script.
    func stop() {
        guard process.isRunning else { return }
        try? requests.fileHandleForWriting.write(contentsOf: Data("\n".utf8))
        process.waitUntilExit()
    }
}

/// The baseline script failed: printed without the command's usage, which is not at fault.
struct TorchServerError: Error, CustomStringConvertible {
    let description: String
}

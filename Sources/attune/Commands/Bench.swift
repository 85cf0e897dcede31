// `attune bench`: measured speed, printed as ratios against a baseline run in the same process.
import ArgumentParser
import AttuneTensor
import Foundation

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks: GEMM/conv/attention kernels (ops).",
        subcommands: [BenchOps.self, BenchUNet.self, BenchEdit.self])
}

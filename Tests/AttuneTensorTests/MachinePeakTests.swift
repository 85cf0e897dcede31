import AttuneTensor
import Foundation
import Testing

@Suite struct MachinePeakTests {
    /// The chains compute what they claim: a_{n+1} = 0.999 a_n + 1e-3 has the closed form 1 + (a_0 - 1) 0.999^n,
    /// so a loop the compiler shortened or dropped would give another sum.
    @Test func fmaChainsComputeTheirRecurrence() {
        let n = 1000, seed: Float = 0.25
        let decay = pow(0.999, Double(n))
        var want = 0.0
        for i in 0..<12 { want += 16 * (1 + (Double(seed) + Double(i) - 1) * decay) }
        let got = Double(FMAChains.run(iterations: n, seed: seed))
        #expect(abs(got - want) < 1e-3 * want, "FMAChains: \(got), want \(want)")
        let rate = MachinePeak.fmaRate(repeats: 1)
        #expect(rate.isFinite && rate > 0)
    }

    /// A loop the compiler dropped would take no time: an infinite rate.
    @Test func memoryRatesAreFinite() {
        let rates = MachinePeak.memoryRates(repeats: 1)
        #expect(rates.read.isFinite && rates.read > 0 && rates.write.isFinite && rates.write > 0, "\(rates)")
    }
}

import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite struct ElementwiseTests {
    @Test func broadcastingAddMatchesHandComputed() {
        let a = Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3])
        let b = Tensor([10, 20, 30], shape: [3])
        #expect((a + b).scalars == [11, 22, 33, 14, 25, 36])
        let c = Tensor([100, 200], shape: [2, 1])
        #expect((a * c).scalars == [100, 200, 300, 800, 1000, 1200])
        #expect(broadcastShape([2, 1, 4], [3, 1]) == [2, 3, 4])
        #expect(broadcastShape([2, 3], [4]) == nil)
    }

    @Test func vectorExpMatchesFoundation() {
        let xs: [Float] = stride(from: -100, through: 100, by: 0.37).map { Float($0) }
        for x in xs {
            let got = VectorMath.exp(x), want = Foundation.exp(x)
            if want < Float.leastNormalMagnitude {
                #expect(got < 1e-37)
            } else if x < 88.7 {
                #expect(abs(got - want) <= 3e-7 * want, "exp(\(x)) = \(got), want \(want)")
            }
        }
        #expect(VectorMath.exp(-Float.infinity) == 0)
        #expect(VectorMath.exp(Float.nan).isNaN)
    }

    @Test func vectorExp2OfNonPositiveMatchesFoundation() {
        // Every float spacing matters near 0, where softmax's largest terms live; the wide sweep covers the range.
        let xs = stride(from: -1, through: 0, by: 1.0 / 4096).map { Float($0) } + stride(from: -125.9, through: 0, by: 0.173).map { Float($0) }
        var worst: Double = 0
        for x in xs {
            let got = Double(VectorMath.exp2NonPositive(Vec16(repeating: x))[0]), want = Foundation.exp2(Double(x))
            worst = max(worst, abs(got - want) / want)
        }
        print("exp2NonPositive: largest relative error \(worst) (tolerance 2e-7)")
        #expect(worst < 2e-7)
        #expect(VectorMath.exp2NonPositive(Vec16(repeating: 0))[0] == 1)
        // Past the normal range the answer stays at 2^-126 (a sum of at least 1 cannot see it), never a NaN.
        for x: Float in [-126, -200, -.infinity] {
            #expect(VectorMath.exp2NonPositive(Vec16(repeating: x))[0] == Float.leastNormalMagnitude)
        }
    }

    @Test func vectorErfMatchesFoundation() {
        for x in stride(from: -6, through: 6, by: 0.01).map({ Float($0) }) {
            #expect(abs(VectorMath.erf(x) - Foundation.erf(x)) < 3e-7, "erf(\(x))")
        }
    }

    @Test func activationsMatchDefinitions() {
        let xs: [Float] = [-5, -1.5, -0.2, 0, 0.3, 1, 2.5, 7]
        let x = Tensor(xs, shape: [8])
        let pairs: [(Tensor, (Float) -> Float)] = [
            (silu(x), { $0 / (1 + Foundation.exp(-$0)) }),
            (gelu(x), { 0.5 * $0 * (1 + Foundation.erf($0 / Float(2).squareRoot())) }),
            (quickGelu(x), { $0 / (1 + Foundation.exp(-1.702 * $0)) }),
        ]
        for (got, f) in pairs {
            for (g, v) in zip(got.scalars, xs) { #expect(abs(g - f(v)) < 2e-6 * max(1, abs(f(v)))) }
        }
    }

    @Test func gegluSplitsHalves() {
        // [h | g] rows; out = h * gelu(g).
        let x = Tensor([1, 2, 0.5, -1, 3, 4, 2, 0], shape: [2, 4])
        let g: (Float) -> Float = { 0.5 * $0 * (1 + Foundation.erf($0 / Float(2).squareRoot())) }
        let want: [Float] = [1 * g(0.5), 2 * g(-1), 3 * g(2), 4 * g(0)]
        for (a, b) in zip(geglu(x).scalars, want) { #expect(abs(a - b) < 1e-6) }
    }

    @Test func biasesFoldIntoGegluAndResidualAdds() {
        let x = OpsTests.random([3, 40], seed: 11), bias = OpsTests.random([40], seed: 12)
        #expect(closeness(geglu(x, bias: bias), geglu(x + bias)).maxAbs < 1e-6)
        var a = OpsTests.random([2, 5, 24], seed: 13)
        let b = OpsTests.random([2, 5, 24], seed: 14), c = OpsTests.random([24], seed: 15)
        let want = a + (b + c)
        addInPlace(&a, b, bias: c)
        #expect(closeness(a, want).maxAbs < 1e-6)
    }

    @Test func halfPrecisionStorageWidensExactly() {
        let values: [Float] = [0, 1, -2.5, 65504, 6.1035156e-05, 5.9604645e-08, 0.1]
        let t = Tensor(values, shape: [values.count])
        let h = t.converted(to: .f16)
        #expect(h.dtype == .f16)
        #expect(h.widened().scalars == values.map { Float(Float16($0)) })
        let b = t.converted(to: .bf16)
        #expect(b.widened().scalars[2] == -2.5)
        #expect(abs(b.widened().scalars[6] - 0.1) < 1e-3)
    }
}

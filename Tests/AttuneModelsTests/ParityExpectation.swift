// The parity suites' comparison: shape, then the largest error relative to the reference's scale, printed and
// asserted against a stated tolerance.
import AttuneTensor
import AttuneTestSupport
import Testing

func expectClose(_ got: Tensor, _ want: Tensor, _ tolerance: Float, _ what: String) {
    #expect(got.shape == want.shape, "\(what): shape \(got.shape) vs \(want.shape)")
    guard got.shape == want.shape else { return }
    let c = closeness(got, want)
    print("parity \(what): \(c) (tolerance \(tolerance))")
    #expect(c.relativeToScale <= tolerance, "\(what): \(c)")
}

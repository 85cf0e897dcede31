import AttuneTensor
import Testing

@Suite struct OpProfileTests {
    /// Calls, FLOPs, wall and CPU time land in the op's row and in its shape's row. Other tests may run ops while
    /// this one records, so it reads the rows of a shape no other test uses.
    @Test func recordsCallsFlopsAndTimesPerShape() {
        let x = Tensor((0..<(41 * 37)).map { Float($0 % 7) }, shape: [41, 37])
        let w = Tensor((0..<(53 * 37)).map { Float($0 % 5) }, shape: [53, 37])
        OpProfile.start()
        for _ in 0..<3 { _ = linear(x, weight: w) }
        let rows = OpProfile.stop()
        let shape = rows.shapes.first { $0.op == "linear 37->53 x41" }
        #expect(shape?.calls == 3)
        #expect(shape?.flops == Double(3 * 2 * 41 * 53 * 37))
        #expect((shape?.seconds ?? 0) > 0 && (shape?.cpuSeconds ?? 0) > 0)
        let kind = rows.kinds.first { $0.op == "linear" }
        #expect((kind?.calls ?? 0) >= 3 && (kind?.seconds ?? 0) >= (shape?.seconds ?? 1))
        // Stopped: nothing more is recorded.
        _ = linear(x, weight: w)
        OpProfile.start()
        #expect(OpProfile.stop().shapes.first { $0.op == "linear 37->53 x41" } == nil)
    }
}

import AttuneTensor
import Testing

@Suite struct TorchGeneratorTests {
    // Values printed by torch 2.15:
    //   g = torch.Generator().manual_seed(42); torch.randn(1, 4, 8, 8, generator=g).flatten()
    @Test func matchesTorchRandnForALatent() {
        var g = TorchGenerator(seed: 42)
        let x = g.randn([1, 4, 8, 8]).scalars
        let head: [Float] = [1.9269152879714966, 1.4872840642929077, 0.9007171988487244, -2.1055209636688232, 0.6784184575080872, -1.2345448732376099]
        let tail: [Float] = [0.5655050277709961, 0.5057917237281799, 0.22245365381240845]
        for (a, b) in zip(x.prefix(6), head) { #expect(abs(a - b) < 1e-5) }
        for (a, b) in zip(x.suffix(3), tail) { #expect(abs(a - b) < 1e-5) }
    }

    // g = torch.Generator().manual_seed(1234567890123); torch.randn(37, generator=g): a count that is not a
    // multiple of 16 exercises torch's redraw of the last 16 values; the seed's low 32 bits seed the twister.
    @Test func matchesTorchRandnWithATail() {
        var g = TorchGenerator(seed: 1_234_567_890_123)
        let y = g.normal(count: 37)
        for (a, b) in zip(y.prefix(3), [-0.5685415267944336, -0.1992170363664627, 1.0399844646453857] as [Float]) { #expect(abs(a - b) < 1e-5) }
        for (a, b) in zip(y.suffix(3), [-1.0104366540908813, 0.915014386177063, 0.23390080034732819] as [Float]) { #expect(abs(a - b) < 1e-5) }
    }
}

extension TorchGeneratorTests {
    // g = torch.Generator().manual_seed(7); torch.randn(5, generator=g), then torch.randn(3, generator=g):
    // fewer than 16 values use torch's scalar double sampler, whose cached Box-Muller partner carries over.
    @Test func matchesTorchScalarSamplerBelowSixteenValues() {
        var g = TorchGenerator(seed: 7)
        let a = g.normal(count: 5), b = g.normal(count: 3)
        let wantA: [Float] = [-0.1467950940132141, 0.7861412763595581, 0.9468216300010681, -1.1143440008163452, 1.6907901763916016]
        let wantB: [Float] = [-0.8948279023170471, -0.3556250333786011, 1.2323857545852661]
        for (x, y) in zip(a + b, wantA + wantB) { #expect(abs(x - y) < 1e-6) }
    }
}

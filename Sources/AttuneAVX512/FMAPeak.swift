import AttuneSIMD

public enum FMAPeak {
    /// FMAChains on 512-bit registers.
    public static func run(iterations: Int, seed: Float) -> Float { FMAChains.run(iterations: iterations, seed: seed) }
}

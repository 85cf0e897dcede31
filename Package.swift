// swift-tools-version:6.0
import PackageDescription

// Numeric targets are always compiled with optimisation: Swift debug builds run their loops
// 10-50x slower, which would make the test suite crawl.
#if arch(x86_64)
// Haswell = AVX2 + FMA + F16C: 16-float vectors become two ymm registers, fp16 weights widen with vcvtph2ps.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked", "-target-cpu", "haswell"])]
// Kernels only called after a run-time check for AVX-512 (CPUFeatures.hasAVX512).
let avx512: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked", "-target-cpu", "skylake-avx512"])]
#else
let optimized: [SwiftSetting] = [.unsafeFlags(["-O", "-enforce-exclusivity=unchecked"])]
let avx512 = optimized
#endif

let package = Package(
    name: "Attune",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "attune", targets: ["attune"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian -dev packages), found through pkg-config.
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CSixel", pkgConfig: "libsixel", providers: [.apt(["libsixel-dev"])]),
        .systemLibrary(name: "CCurses", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSystem"),

        .target(name: "AttuneTOML"),
        .target(name: "AttuneSIMD", swiftSettings: optimized),
        .target(name: "AttuneAVX512", dependencies: ["AttuneSIMD"], swiftSettings: avx512),
        .target(name: "AttuneTensor", dependencies: ["CBLAS", "CSystem", "AttuneSIMD", "AttuneAVX512"], swiftSettings: optimized),
        // libpng's classic reading API reports errors by longjmp, which must not cross Swift frames: this small C
        // target holds the setjmp. (The simplified API cannot return exact 16-bit samples.)
        .target(name: "CPNGReader", dependencies: ["CPNG"]),
        .target(name: "AttuneImage", dependencies: ["AttuneTensor", "CPNG", "CPNGReader"], swiftSettings: optimized),
        .target(
            name: "AttuneModels", dependencies: ["AttuneTensor", "AttuneImage", "CZlib"],
            resources: [.copy("Resources/bpe_simple_vocab_16e6.txt.gz")], swiftSettings: optimized),
        .target(name: "AttuneEditing", dependencies: ["AttuneModels", "AttuneImage", "AttuneTOML"], swiftSettings: optimized),
        .target(name: "AttuneTUI", dependencies: ["AttuneEditing", "AttuneModels", "AttuneTOML", "CCurses", "CSixel"]),
        .executableTarget(
            name: "attune",
            dependencies: [
                "AttuneTUI", "AttuneEditing", "AttuneModels", "AttuneImage", "AttuneTensor", "AttuneTOML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Helpers shared by the test targets: fixture paths and closeness assertions.
        .target(name: "AttuneTestSupport", dependencies: ["AttuneTensor", "AttuneModels"], path: "Tests/Support"),
        .testTarget(name: "AttuneTensorTests", dependencies: ["AttuneTensor", "AttuneAVX512", "AttuneTestSupport"]),
        .testTarget(name: "AttuneImageTests", dependencies: ["AttuneImage", "AttuneTestSupport"]),
        .testTarget(name: "AttuneModelsTests", dependencies: ["AttuneModels", "AttuneTestSupport"]),
        .testTarget(name: "AttuneEditingTests", dependencies: ["AttuneEditing", "AttuneTestSupport"]),
        .testTarget(name: "AttuneTUITests", dependencies: ["AttuneTUI", "AttuneTestSupport"]),
        .testTarget(name: "AttuneTOMLTests", dependencies: ["AttuneTOML"]),
        // Whether edits succeed, measured on pictures of the embedded micro model (Samples/attune-micro-sd).
        .testTarget(name: "AttuneQualityTests", dependencies: ["AttuneEditing", "AttuneTestSupport"], exclude: ["Scenes"]),
        // Runs the built executable (headless commands end to end).
        .testTarget(name: "AttuneCLITests", dependencies: ["AttuneTestSupport", "AttuneImage"]),
    ],
    // Numeric kernels hand raw pointers to worker threads; Swift 6's strict Sendable checking would reject
    // every such closure, so the package uses the Swift 5 language mode.
    swiftLanguageModes: [.v5]
)

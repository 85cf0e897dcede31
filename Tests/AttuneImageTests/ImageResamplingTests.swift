// Resizing (area averaging down, bilinear with half-pixel centres up, per axis) and cropping on hand-checked images.
import AttuneImage
import Testing

@Suite struct ImageResamplingTests {
    func row(_ values: [Float]) -> Image { Image(width: values.count, height: 1, channels: 1, pixels: values) }
    func column(_ values: [Float]) -> Image { Image(width: 1, height: values.count, channels: 1, pixels: values) }

    func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float = 1e-6, _ comment: Comment? = nil) {
        #expect(actual.count == expected.count, comment)
        let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= tolerance, "\(actual) vs \(expected)")
    }

    @Test func integerDownscaleAveragesBlocks() {
        expectClose(row([1, 2, 3, 4]).resized(width: 2, height: 1).pixels, [1.5, 3.5])
        expectClose(column([1, 2, 3, 4, 5, 6]).resized(width: 1, height: 2).pixels, [2, 5])
    }

    @Test func fractionalDownscaleWeighsPartialPixels() {
        // 3 -> 2: each output covers 1.5 source pixels: (1 + 0.5*2) / 1.5 and (0.5*2 + 3) / 1.5.
        expectClose(row([1, 2, 3]).resized(width: 2, height: 1).pixels, [4.0 / 3, 8.0 / 3])
        // 5 -> 2: (1 + 2 + 0.5*3) / 2.5 and (0.5*3 + 4 + 5) / 2.5.
        expectClose(row([1, 2, 3, 4, 5]).resized(width: 2, height: 1).pixels, [1.8, 4.2])
    }

    @Test func upscaleInterpolatesWithHalfPixelCentres() {
        // Source positions -0.25, 0.25, 0.75, 1.25, clamped to the edge pixels (cv2.INTER_LINEAR).
        expectClose(row([0, 1]).resized(width: 4, height: 1).pixels, [0, 0.25, 0.75, 1])
        // 2 -> 3: positions -1/6, 0.5, 7/6.
        expectClose(row([0, 3]).resized(width: 3, height: 1).pixels, [0, 1.5, 3])
        expectClose(row([5]).resized(width: 3, height: 1).pixels, [5, 5, 5])
    }

    @Test func axesAreResampledIndependently() {
        // 4 wide x 2 high -> 2 wide (area) x 4 high (bilinear), on three channels.
        let image = Image(width: 4, height: 2, channels: 3, pixels: [0, 2, 4, 6, 8, 10, 12, 14] + [Float](repeating: 1, count: 8)
                          + [1, 1, 0, 0, 0, 0, 1, 1])
        let out = image.resized(width: 2, height: 4)
        #expect(out.width == 2 && out.height == 4 && out.channels == 3)
        // Rows average to [1, 5] and [9, 13]; the columns then interpolate at -0.25, 0.25, 0.75, 1.25.
        expectClose(out.pixels, [1, 5, 3, 7, 7, 11, 9, 13] + [Float](repeating: 1, count: 8)
                    + [1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1])
        #expect(image.resized(width: 4, height: 2) == image)
    }

    @Test func constantImagesStayConstant() {
        let gray = Image(width: 37, height: 23, channels: 3, filling: 0.7)
        for (w, h) in [(10, 5), (64, 64), (37, 50), (3, 23)] {
            let out = gray.resized(width: w, height: h)
            expectClose(out.pixels, [Float](repeating: 0.7, count: w * h * 3), tolerance: 1e-5, "\(w)x\(h)")
        }
    }

    @Test func cropsTakeTheRequestedRegion() {
        let image = Image(width: 4, height: 3, channels: 1, pixels: (0..<12).map(Float.init))
        #expect(image.cropped(x: 1, y: 1, width: 2, height: 2).pixels == [5, 6, 9, 10])
        // Odd margins leave the extra pixel on the right and bottom.
        #expect(image.centerCropped(width: 1, height: 2).pixels == [1, 5])
        #expect(image.centerCropped(width: 4, height: 3) == image)
    }

    @Test func grayscaleUsesLumaWeights() {
        let rgb = Image(width: 1, height: 1, channels: 3, pixels: [1, 0.5, 0])
        expectClose(rgb.grayscale().pixels, [0.299 + 0.587 * 0.5])
    }
}

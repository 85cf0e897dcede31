// prepareForStableDiffusion (cover, then centre-crop to a multiple-of-8 size) and the tensor conversions.
import AttuneImage
import AttuneTensor
import Testing

@Suite struct StableDiffusionSizingTests {
    @Test func resizesTheShortSideThenCrops() throws {
        let (image, note) = try prepareForStableDiffusion(Image(width: 640, height: 480, channels: 3, filling: 0.5))
        #expect(image.width == 512 && image.height == 512)
        #expect(note == "resized 640x480 -> 683x512, center-cropped to 512x512")
    }

    @Test func onlyResizesWhenTheAspectMatches() throws {
        let (image, note) = try prepareForStableDiffusion(Image(width: 1024, height: 768, channels: 3, filling: 0), width: 512, height: 384)
        #expect(image.width == 512 && image.height == 384)
        #expect(note == "resized 1024x768 -> 512x384")
    }

    @Test func onlyCropsWhenOneSideAlreadyFits() throws {
        let source = Image(width: 512, height: 520, channels: 1, pixels: (0..<(512 * 520)).map { Float($0 % 512 + $0 / 512) })
        let (image, note) = try prepareForStableDiffusion(source)
        #expect(note == "center-cropped 512x520 to 512x512")
        #expect(image == source.cropped(x: 0, y: 4, width: 512, height: 512))
    }

    @Test func leavesAFittingImageAlone() throws {
        let source = Image(width: 64, height: 48, channels: 3, filling: 0.25)
        let (image, note) = try prepareForStableDiffusion(source, width: 64, height: 48)
        #expect(image == source && note == nil)
    }

    @Test func upscalesSmallImages() throws {
        let (image, note) = try prepareForStableDiffusion(Image(width: 100, height: 50, channels: 3, filling: 1), width: 64, height: 64)
        #expect(image.width == 64 && image.height == 64)
        #expect(note == "resized 100x50 -> 128x64, center-cropped to 64x64")
    }

    @Test func rejectsSizesTheModelCannotTake() {
        let image = Image(width: 8, height: 8, channels: 3, filling: 0)
        for (w, h) in [(500, 512), (512, 0), (-8, 8)] {
            #expect(throws: ImageError.invalidTargetSize(width: w, height: h)) { try prepareForStableDiffusion(image, width: w, height: h) }
        }
    }

    @Test func modelTensorsSpanMinusOneToOne() {
        let image = Image(width: 2, height: 1, channels: 3, pixels: [0, 1, 0.5, 0.25, 1, 0])
        let tensor = image.modelTensor()
        #expect(tensor.shape == [1, 3, 1, 2])
        #expect(tensor.scalars == [-1, 1, 0, -0.5, 1, -1])
        #expect(Image(modelTensor: tensor) == image)
        // Decoder outputs beyond [-1, 1] are clamped, as diffusers' postprocess does.
        let wild = Tensor([-3, 3, 0, .nan, 1, -1], shape: [1, 3, 1, 2])
        #expect(Image(modelTensor: wild).pixels == [0, 1, 0.5, 0, 1, 0])
    }

    @Test func maskTensorsAreHeightByWidth() {
        let mask = Image(width: 3, height: 2, channels: 1, pixels: [0, 0.5, 1, 1, 0.25, 0])
        let tensor = mask.maskTensor()
        #expect(tensor.shape == [2, 3] && tensor.scalars == mask.pixels)
        #expect(Image(maskTensor: tensor) == mask)
        #expect(Image(maskTensor: Tensor([2, -1], shape: [1, 2])).pixels == [1, 0])
        // Half-precision tensors are widened on the way in.
        #expect(Image(maskTensor: tensor.converted(to: .f16)) == mask)
    }
}

// SafeTensorsFile / SafeTensorsWriter: round trips, files written by Python's safetensors, and every malformed header.
import AttuneTensor
import AttuneTestSupport
import Foundation
import Testing

@Suite struct SafeTensorsRoundTripTests {
    @Test func roundTripKeepsDTypesValuesAndMetadata() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        let values: [Float] = [0, 1, -2.5, 3.140625, 1e-3, -65504]
        let tensors: [String: Tensor] = [
            "a.f32": Tensor(values, shape: [2, 3]),
            "b.f16": Tensor(values, shape: [3, 2]).converted(to: .f16),
            "c.bf16": Tensor(values, shape: [6]).converted(to: .bf16),
            "scalar": Tensor([42.5], shape: []),
            "empty": Tensor(zeros: [0, 5]),
            "empty.f16": Tensor(zeros: [3, 0], dtype: .f16),
        ]
        let metadata = ["format": "pt", "quote\"and\\slash\n": "é ✓ \u{1}"]
        try SafeTensorsWriter.write(tensors, metadata: metadata, to: url)

        let file = try SafeTensorsFile(url: url)
        #expect(file.names == tensors.keys.sorted())
        #expect(file.metadata == metadata)
        for (name, expected) in tensors {
            let actual = try file.tensor(name)
            #expect(actual.shape == expected.shape, "\(name)")
            #expect(actual.dtype == expected.dtype, "\(name)")
            // Bit-exact: the stored bytes come back unchanged.
            #expect(storedBytes(actual) == storedBytes(expected), "\(name)")
        }
        #expect(file.info("b.f16")?.dtype == .f16)
        #expect(file.info("scalar")?.shape == [])
        #expect(file.info("missing") == nil)
        #expect(file.contains("a.f32") && !file.contains("a"))
    }

    @Test func writerReproducesPythonBytes() throws {
        // python_plain.safetensors holds these values, written by safetensors 0.8 (Tools/fixtures/make_safetensors_fixtures.py).
        let tensors: [String: Tensor] = [
            "weight.f32": Tensor([-1, -0.5, 0, 0.5, 1, 1.5], shape: [2, 3]),
            "weight.f16": Tensor([1, -2.5, 65504, 0x1p-24], shape: [2, 2]).converted(to: .f16),
            "weight.bf16": Tensor([1, -3.140625, 0x1p100], shape: [3]).converted(to: .bf16),
            "scalar": Tensor([7.25], shape: []),
            "empty": Tensor(zeros: [0, 4]),
        ]
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("ours.safetensors")
        try SafeTensorsWriter.write(tensors, to: url)
        let ours = try Data(contentsOf: url)
        let python = try Data(contentsOf: Fixtures.url("safetensors/python_plain.safetensors"))
        #expect(ours == python)
        let headerLength = ours.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect((8 + headerLength) % 8 == 0, "header padded to a multiple of 8")
    }

    @Test func readsEveryDTypeFromPython() throws {
        let file = try SafeTensorsFile(url: Fixtures.url("safetensors/python.safetensors"))
        #expect(file.metadata == ["format": "pt", "note": "attune fixture"])
        #expect(file.names == ["bool", "empty", "f64", "i16", "i32", "i8", "position_ids", "scalar", "u8",
                               "weight.bf16", "weight.f16", "weight.f32"])

        let f32 = try file.tensor("weight.f32")
        #expect(f32.dtype == .f32 && f32.shape == [2, 3] && f32.scalars == [-1, -0.5, 0, 0.5, 1, 1.5])
        #expect(try file.tensor("weight.f16").dtype == .f16)
        let f16 = try file.floatTensor("weight.f16")
        #expect(f16.dtype == .f32 && f16.shape == [2, 2] && f16.scalars == [1, -2.5, 65504, 0x1p-24])
        #expect(try file.tensor("weight.bf16").dtype == .bf16)
        #expect(try file.floatTensor("weight.bf16").scalars == [1, -3.140625, 0x1p100])
        #expect(try file.tensor("scalar").shape == [] && file.tensor("scalar").scalars == [7.25])
        #expect(try file.tensor("empty").shape == [0, 4])

        // Other dtypes are converted to F32.
        let positions = try file.tensor("position_ids")
        #expect(file.info("position_ids")?.dtype == .i64)
        #expect(positions.dtype == .f32 && positions.shape == [1, 5] && positions.scalars == [0, 1, 2, 3, 4])
        #expect(try file.tensor("f64").scalars == [Float(0.1), -2])
        #expect(try file.tensor("i32").scalars == [-7, 0, 123456])
        #expect(try file.tensor("i16").scalars == [-32768, 32767])
        #expect(try file.tensor("i8").scalars == [-128, 127])
        #expect(try file.tensor("u8").scalars == [0, 1, 255])
        #expect(try file.tensor("bool").scalars == [1, 0, 1])
    }

    @Test func missingTensorIsAnError() throws {
        let url = Fixtures.url("safetensors/python.safetensors")
        let file = try SafeTensorsFile(url: url)
        #expect(throws: SafeTensorsError.tensorNotFound(path: url.path, tensor: "nope")) { try file.tensor("nope") }
    }

    @Test func metadataNameIsReservedForWriting() throws {
        let dir = Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("x.safetensors")
        #expect(throws: SafeTensorsError.reservedName(path: url.path, tensor: "__metadata__")) {
            try SafeTensorsWriter.write(["__metadata__": Tensor(zeros: [1])], to: url)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func unalignedOffsetsAreCopiedOut() throws {
        // One U8 tensor first makes the F32 tensor start at an odd offset.
        let floats: [Float] = [1.5, -2, 3.25]
        var data: [UInt8] = [7]
        for f in floats { withUnsafeBytes(of: f) { data += $0 } }
        let header = #"{"pad":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},"x":{"dtype":"F32","shape":[3],"data_offsets":[1,13]}}"#
        let url = try HandBuiltSafeTensors.write(header: header, data: data)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let file = try SafeTensorsFile(url: url)
        #expect(try file.tensor("x").scalars == floats)
        #expect(try file.tensor("pad").scalars == [7])
    }
}

/// A tensor's stored bytes, for bit-exact comparisons in any dtype.
func storedBytes(_ tensor: Tensor) -> [UInt8] {
    withExtendedLifetime(tensor) {
        Array(UnsafeRawBufferPointer(start: tensor.storage.raw, count: tensor.count * tensor.dtype.byteSize))
    }
}

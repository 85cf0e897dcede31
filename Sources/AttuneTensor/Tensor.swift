// The one tensor type of Attune: a contiguous, row-major (NCHW for images) array.
// Activations are Float32; weights may be stored as fp16 or bf16 and are widened on use.
import CSystem
import Foundation

/// Element type of a tensor's storage. Arithmetic always happens in Float32.
public enum DType: String, Sendable, CaseIterable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"

    public var byteSize: Int { self == .f32 ? 4 : 2 }
}

/// Owned, 64-byte aligned memory. Tensors share it copy-on-write.
public final class TensorStorage: @unchecked Sendable {
    public let dtype: DType
    public let count: Int
    public let raw: UnsafeMutableRawPointer

    /// A UNet step allocates and frees gigabytes in buffers of a few MB. glibc serves those with fresh mmaps,
    /// so every one is page-faulted and zeroed by the kernel again (seconds of system time per step); kept in
    /// the heap instead, freed buffers are reused.
    static let heapConfigured: Void = {
        #if canImport(Glibc)
        mallopt(M_MMAP_THRESHOLD, 1 << 30)
        mallopt(M_TRIM_THRESHOLD, 1 << 30)
        #endif
    }()

    public init(dtype: DType, count: Int, zeroed: Bool = true) {
        _ = Self.heapConfigured
        self.dtype = dtype
        self.count = count
        let bytes = max(count * dtype.byteSize, 64)
        raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
        if zeroed { raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes) }
    }

    deinit { raw.deallocate() }

    func copy() -> TensorStorage {
        let s = TensorStorage(dtype: dtype, count: count, zeroed: false)
        s.raw.copyMemory(from: raw, byteCount: count * dtype.byteSize)
        return s
    }
}

public struct Tensor: @unchecked Sendable {
    public private(set) var shape: [Int]
    public private(set) var storage: TensorStorage

    public var dtype: DType { storage.dtype }
    public var count: Int { storage.count }
    public var rank: Int { shape.count }

    /// A zero-filled tensor.
    public init(zeros shape: [Int], dtype: DType = .f32) {
        Tensor.checkShape(shape)
        self.shape = shape
        self.storage = TensorStorage(dtype: dtype, count: shape.reduce(1, *))
    }

    /// An uninitialised Float32 tensor, for ops that overwrite every element.
    public init(uninitialized shape: [Int]) {
        Tensor.checkShape(shape)
        self.shape = shape
        self.storage = TensorStorage(dtype: .f32, count: shape.reduce(1, *), zeroed: false)
    }

    public init(shape: [Int], storage: TensorStorage) {
        Tensor.checkShape(shape)
        precondition(
            shape.reduce(1, *) == storage.count,
            "Tensor: shape \(shape) holds \(shape.reduce(1, *)) elements, storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// A Float32 tensor from values; `values.count` must equal the product of `shape`.
    public init(_ values: [Float], shape: [Int]) {
        Tensor.checkShape(shape)
        precondition(
            values.count == shape.reduce(1, *),
            "Tensor: \(values.count) values do not fill shape \(shape)")
        self.init(uninitialized: shape)
        values.withUnsafeBufferPointer { src in
            storage.raw.copyMemory(from: src.baseAddress!, byteCount: values.count * 4)
        }
    }

    public init(filling value: Float, shape: [Int]) {
        self.init(uninitialized: shape)
        mutableFloats.update(repeating: value)
    }

    static func checkShape(_ shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in shape \(shape)")
    }

    // MARK: - Element access

    /// The Float32 elements (precondition: dtype is f32). Read-only by convention.
    public var floats: UnsafeMutableBufferPointer<Float> {
        precondition(dtype == .f32, "Tensor: expected F32 storage, found \(dtype.rawValue); widen it first")
        return UnsafeMutableBufferPointer(start: storage.raw.assumingMemoryBound(to: Float.self), count: count)
    }

    /// The Float32 elements for writing; copies the storage first if it is shared.
    public var mutableFloats: UnsafeMutableBufferPointer<Float> {
        mutating get {
            if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
            return floats
        }
    }

    public var scalars: [Float] {
        // The widened copy must outlive the read of its buffer.
        let w = widened()
        return withExtendedLifetime(w) { Array(w.floats) }
    }

    public subscript(_ index: Int...) -> Float {
        get {
            let w = widened()
            return withExtendedLifetime(w) { w.floats[flatIndex(index)] }
        }
    }

    func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "Tensor: index \(index) does not match shape \(shape)")
        var flat = 0
        for (i, d) in zip(index, shape) {
            precondition(i >= 0 && i < d, "Tensor: index \(index) out of bounds for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    // MARK: - Shape

    /// Same elements, new shape. One dimension may be -1 and is inferred.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var s = newShape
        if let i = s.firstIndex(of: -1) {
            let known = s.enumerated().filter { $0.offset != i }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "Tensor: cannot reshape \(shape) to \(newShape)")
            s[i] = count / known
        }
        precondition(s.reduce(1, *) == count, "Tensor: cannot reshape \(shape) (\(count) elements) to \(newShape)")
        return Tensor(shape: s, storage: storage)
    }

    public func dim(_ axis: Int) -> Int { shape[normalizedAxis(axis)] }

    public func normalizedAxis(_ axis: Int) -> Int {
        let a = axis < 0 ? axis + rank : axis
        precondition(a >= 0 && a < rank, "Tensor: axis \(axis) out of range for shape \(shape)")
        return a
    }

    // MARK: - Precision

    /// A Float32 tensor with the same values (shares storage when already Float32).
    public func widened() -> Tensor {
        if dtype == .f32 { return self }
        var out = Tensor(uninitialized: shape)
        let dst = out.mutableFloats.baseAddress!
        Precision.widen(storage.raw, dtype: dtype, count: count, into: dst)
        return out
    }

    /// The same values stored as `dtype` (rounded to nearest even when narrowing).
    public func converted(to dtype: DType) -> Tensor {
        if dtype == self.dtype { return self }
        let src = widened()
        let out = TensorStorage(dtype: dtype, count: count, zeroed: false)
        Precision.narrow(src.floats.baseAddress!, count: count, to: dtype, into: out.raw)
        return Tensor(shape: shape, storage: out)
    }

    /// Runs `body` on Float32 values, widening half-precision storage into a temporary buffer.
    public func withFloat32<R>(_ body: (UnsafePointer<Float>) throws -> R) rethrows -> R {
        if dtype == .f32 { return try body(UnsafePointer(floats.baseAddress!)) }
        let tmp = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
        defer { tmp.deallocate() }
        Precision.widen(storage.raw, dtype: dtype, count: count, into: tmp)
        return try body(UnsafePointer(tmp))
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let head = scalars.prefix(6).map { String(format: "%.5g", $0) }.joined(separator: ", ")
        return "Tensor(\(shape), \(dtype.rawValue)) [\(head)\(count > 6 ? ", ..." : "")]"
    }
}

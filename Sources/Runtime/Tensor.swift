/// A dense float32 tensor in row-major (NCHW / NCDHW) order, living either in host memory
/// or in an OpenCL device buffer. Host tensors have value semantics; device tensors share
/// their buffer (it returns to the pool when the last tensor using it goes away).
public struct Tensor: @unchecked Sendable {
    /// Where the values are.
    public enum Storage {
        /// In host memory.
        case host([Float])
        /// In a device buffer of at least `count * 4` bytes.
        case device(DeviceBuffer)
    }

    /// Dimensions, outermost first.
    public var shape: [Int]
    /// The values.
    public var storage: Storage

    /// A host tensor; `values.count` must equal the product of `shape`.
    public init(shape: [Int], values: [Float]) {
        precondition(values.count == shape.reduce(1, *), "Tensor: \(values.count) values for shape \(shape)")
        self.shape = shape
        self.storage = .host(values)
    }

    /// A host tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, values: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    /// A device tensor over `buffer`.
    public init(shape: [Int], buffer: DeviceBuffer) {
        precondition(buffer.byteCount >= shape.reduce(1, *) * 4, "Tensor: buffer too small for \(shape)")
        self.shape = shape
        self.storage = .device(buffer)
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }
    /// Number of dimensions.
    public var rank: Int { shape.count }
    /// Whether the values are in host memory.
    public var isHost: Bool { if case .host = storage { return true } else { return false } }

    /// The host values; nil for a device tensor (download it with its backend first).
    public var hostValues: [Float]? {
        if case .host(let v) = storage { return v }
        return nil
    }

    /// The device buffer; nil for a host tensor.
    public var deviceBuffer: DeviceBuffer? {
        if case .device(let b) = storage { return b }
        return nil
    }

    /// The same values viewed with another shape of equal element count (no copy).
    /// This is how the C×D → C·D projection reshape is done: NCDHW memory is already
    /// laid out with channel index c·D + d.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        guard newShape.reduce(1, *) == count else {
            throw RuntimeError.shapeMismatch("cannot reshape \(shape) (\(count) values) to \(newShape)")
        }
        var t = self
        t.shape = newShape
        return t
    }

    /// A short description like `[1, 96, 16, 64, 64]`.
    public var shapeDescription: String { "[" + shape.map(String.init).joined(separator: ", ") + "]" }
}

/// A seeded pseudo-random generator (SplitMix64) for reproducible test data and random weights.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64
    /// Creates a generator; the same seed gives the same sequence on every machine.
    public init(seed: UInt64) { state = seed &+ 0x9E3779B97F4A7C15 }
    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    /// A float uniform in [lo, hi).
    public mutating func uniform(_ lo: Float = -1, _ hi: Float = 1) -> Float {
        lo + (hi - lo) * Float(next() >> 40) / Float(1 << 24)
    }
}

extension Tensor {
    /// A host tensor of uniform random values in [lo, hi) from `seed`.
    public static func random(_ shape: [Int], seed: UInt64, range: ClosedRange<Float> = -1...1) -> Tensor {
        var g = SeededGenerator(seed: seed)
        let n = shape.reduce(1, *)
        var v = [Float](repeating: 0, count: n)
        for i in 0..<n { v[i] = g.uniform(range.lowerBound, range.upperBound) }
        return Tensor(shape: shape, values: v)
    }
}

/// One overridable entry of `KernelVariants`: its name in `PORTRAIT_VARIANTS`, what it decides,
/// the values the parity sweep runs and the catalog ops whose kernels it changes.
public struct VariantKey: Sendable {
    /// The name, e.g. `conv.tile`.
    public let name: String
    /// What the entry decides, with the accepted value syntax.
    public let summary: String
    /// The values every device is tested with (any other accepted value is also allowed).
    public let sweep: [String]
    /// Catalog op names whose OpenCL path reads this entry (empty: not a catalog op).
    public let ops: [String]
    /// Overrides the sweep applies together with this entry (`conv.algorithm=igemm` for the
    /// implicit-GEMM tile, which is read only on that path); empty for none. Alternatives are
    /// separated by `;` (the sweep runs every value once under each).
    public var sweepWith: String = ""
    /// The `sweepWith` alternatives (one empty string for none).
    public var sweepBases: [String] {
        let bases = sweepWith.split(separator: ";").map { String($0) }
        return bases.isEmpty ? [""] : bases
    }
    let read: @Sendable (KernelVariants) -> String
    let write: @Sendable (inout KernelVariants, String) -> Bool

    /// The entry's value in `variants`, as text.
    public func value(in variants: KernelVariants) -> String { read(variants) }

    /// `variants` with this entry set to `text`.
    public func setting(_ text: String, in variants: KernelVariants) throws -> KernelVariants {
        var copy = variants
        guard write(&copy, text) else { throw VariantError.badValue(key: name, value: text, expected: summary) }
        return copy
    }
}

/// A `PORTRAIT_VARIANTS` entry that could not be applied.
public enum VariantError: Error, CustomStringConvertible, Sendable, Equatable {
    /// No entry has this name.
    case unknownKey(String, known: [String])
    /// The value is not one the entry accepts.
    case badValue(key: String, value: String, expected: String)
    /// An item is not `key=value`.
    case malformed(String)

    public var description: String {
        switch self {
        case .unknownKey(let k, let known):
            return "PORTRAIT_VARIANTS: unknown key '\(k)'; known keys: " + known.joined(separator: ", ")
        case .badValue(let k, let v, let e):
            return (k == KernelVariants.tableVariable ? "" : "PORTRAIT_VARIANTS: ") + "\(k)=\(v) is invalid: expected \(e)"
        case .malformed(let item):
            return "PORTRAIT_VARIANTS: '\(item)' is not key=value (e.g. conv.tile=8x8,norm.reduce=lanes)"
        }
    }
}

extension KernelVariants {
    /// The environment variable read by `Engine.opencl`: comma-separated `key=value` overrides.
    public static let environmentVariable = "PORTRAIT_VARIANTS"

    /// Every entry, in the order the table prints.
    public static let keys: [VariantKey] = [
        enumKey("conv.algorithm", ConvolutionAlgorithm.self, \.convolutionAlgorithm, ops: ["conv2d", "conv3d"],
                "convolution algorithm (winograd: stride-1 3x3 2-D only; winograd4: F(4x4,3x3), stride-1 3x3 and kx3x3)"),
        winogradKey("conv.winograd3d", Winograd3DScheme.self, \.winograd3D, ops: ["conv3d"],
                    "stride-1 3x3x3 convolutions under winograd4: F(4x4,3x3) per depth slice, F(2x2x2,3x3x3), or auto (cube at output width <= 16)"),
        winogradKey("conv.winograd", Winograd2DTile.self, \.winograd2D, ops: ["conv2d", "spade_modulate"],
                    "Winograd tile of stride-1 3x3 2-D convolutions under winograd4: F(4x4,3x3), F(6x6,3x3), or auto (F(6x6) at outputs >= 96 wide with >= 384 output channels per input transform)"),
        winogradKey("conv.winograd7", Winograd7Scheme.self, \.winograd7, ops: ["conv2d", "conv3d"],
                    "stride-1 convolutions 7 wide under winograd4: F(4,7) along x (rows) or the direct tile kernels"),
        {
            var key = VariantKey(name: "conv.igemm", summary: "implicit-GEMM tile TMxTNxTK/RMxRN[vVW] (≤ 256 items, ≤ 16 KiB local; VW 1, 2 or 4 dividing RM, RN, TK)",
                                 sweep: ["64x64x16/4x4v4", "64x64x16/4x4v2", "64x64x16/4x4", "32x16x8/2x2v2", "16x32x4/4x1", "8x64x8/8x4"], ops: ["conv2d", "conv3d"],
                                 read: { $0.implicitGemmTile.description },
                                 write: { v, text in
                                     guard let tile = ImplicitGemmTile(text) else { return false }
                                     v.implicitGemmTile = tile
                                     return true
                                 })
            key.sweepWith = "conv.algorithm=igemm"
            return key
        }(),
        {
            // The direct kernels and the Winograd F(4x4, 3x3) GEMM both read the tile.
            var key = enumKey("conv.tile", ConvolutionTile.self, \.convolutionTile, ops: ["conv2d", "conv3d"],
                              "register tile of stride-1 k1/k3 convolutions (and of the winograd4 GEMM: 16x6, else 16x16)")
            key.sweepWith = "conv.algorithm=direct;conv.algorithm=winograd4"
            return key
        }(),
        VariantKey(name: "conv.local", summary: "convolution work-group width MIN-MAX, powers of two ≤ 1024 (e.g. 1-8)",
                   sweep: ["1-8", "8-64"], ops: ["conv2d", "conv3d"],
                   read: { $0.convolutionGroupWidth.description },
                   write: { v, text in
                       let parts = text.split(separator: "-").compactMap { Int($0) }
                       guard parts.count == 2, let range = GroupWidthRange(minimum: parts[0], maximum: parts[1]) else { return false }
                       v.convolutionGroupWidth = range
                       return true
                   }),
        VariantKey(name: "grid3d.block", summary: "channels per work-item of the channels-last 3-D grid sample: all, or a multiple of 4",
                   sweep: ["all", "4", "16"], ops: ["grid_sample"],
                   read: { $0.gridSampleChannelBlock.map(String.init) ?? "all" },
                   write: { v, text in
                       if text == "all" { v.gridSampleChannelBlock = nil; return true }
                       guard let n = Int(text), n > 0, n % 4 == 0 else { return false }
                       v.gridSampleChannelBlock = n
                       return true
                   }),
        enumKey("avgpool", AveragePoolingKernel.self, \.averagePooling, ops: ["avg_pool2d", "avg_pool3d"],
                "stride == kernel average pooling kernel"),
        enumKey("norm.reduce", NormKernelShape.self, \.normReduction, ops: ["group_norm", "adaptive_group_norm", "instance_norm_modulate"],
                "group-norm statistics kernel"),
        enumKey("norm.apply", NormKernelShape.self, \.normApply, ops: ["group_norm", "adaptive_group_norm", "batch_norm"],
                "normalisation affine-pass kernel"),
        {
            // Every Winograd path has transform kernels: swept under each.
            var key = enumKey("launch.width", LaunchWidth.self, \.launchWidth, ops: ["grid_sample", "linear", "matmul", "conv2d", "conv3d"],
                              "work-groups of the lane kernels (3-D grid sample, linear, GEMM, Winograd transforms): narrow (CPUs) or wide (>= 64 items, GPUs)")
            key.sweepWith = "conv.algorithm=winograd4,conv.winograd3d=slices;conv.algorithm=winograd4,conv.winograd3d=cube;conv.algorithm=winograd"
            return key
        }(),
        intKey("peak.local", \.peakGroupSize, sweep: [64, 256], valid: { $0 > 0 && $0 <= 1024 },
               "work-group size of the FMA-peak kernel (1-1024)"),
        intKey("peak.items", \.peakItemsPerUnit, sweep: [1024, 2048], valid: { $0 > 0 && $0 <= 1 << 20 },
               "FMA-peak work-items per compute unit (1-1048576)"),
    ]

    /// The entry called `name`.
    public static func key(named name: String) throws -> VariantKey {
        guard let key = keys.first(where: { $0.name == name }) else { throw VariantError.unknownKey(name, known: keys.map(\.name)) }
        return key
    }

    /// This table with the overrides in `text` (`key=value,key=value`; spaces ignored, empty = none).
    public func overridden(by text: String) throws -> KernelVariants {
        var result = self
        for item in text.split(separator: ",").map({ String($0).trimming(" ") }) where !item.isEmpty {
            let parts = item.split(separator: "=", maxSplits: 1).map { String($0).trimming(" ") }
            guard parts.count == 2, !parts[0].isEmpty else { throw VariantError.malformed(item) }
            result = try Self.key(named: parts[0]).setting(parts[1], in: result)
        }
        return result
    }

    /// The `key=value` form of every entry, which `overridden(by:)` reads back.
    public var overrideString: String {
        Self.keys.map { "\($0.name)=\($0.value(in: self))" }.joined(separator: ",")
    }

    /// One line per entry: name, value, `*` where it differs from `reference`, and what it decides.
    public func table(comparedTo reference: KernelVariants? = nil) -> [String] {
        Self.keys.map { key in
            let value = key.value(in: self)
            let mark = reference.map { key.value(in: $0) != value } == true ? "*" : " "
            func padded(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(1, width - text.count)) }
            return padded(key.name, 16) + padded(value + mark, 14) + " " + key.summary
        }
    }

    /// An `enumKey` read only on the winograd4 path, swept under both Winograd GEMM tiles so each
    /// of its GEMM kernels runs.
    private static func winogradKey<E: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _ type: E.Type, _ path: WritableKeyPath<KernelVariants, E> & Sendable, ops: [String], _ what: String
    ) -> VariantKey where E.RawValue == String {
        var key = enumKey(name, type, path, ops: ops, what)
        key.sweepWith = "conv.algorithm=winograd4,conv.tile=16x16;conv.algorithm=winograd4,conv.tile=16x6"
        return key
    }

    private static func enumKey<E: RawRepresentable & CaseIterable & Sendable>(
        _ name: String, _: E.Type, _ path: WritableKeyPath<KernelVariants, E> & Sendable, ops: [String], _ what: String
    ) -> VariantKey where E.RawValue == String {
        let values = E.allCases.map(\.rawValue)
        return VariantKey(name: name, summary: what + ": " + values.joined(separator: " | "), sweep: values, ops: ops,
                          read: { $0[keyPath: path].rawValue },
                          write: { v, text in
                              guard let e = E(rawValue: text) else { return false }
                              v[keyPath: path] = e
                              return true
                          })
    }

    private static func intKey(_ name: String, _ path: WritableKeyPath<KernelVariants, Int> & Sendable, sweep: [Int],
                               valid: @escaping @Sendable (Int) -> Bool, _ what: String) -> VariantKey {
        VariantKey(name: name, summary: what, sweep: sweep.map(String.init), ops: [],
                   read: { String($0[keyPath: path]) },
                   write: { v, text in
                       guard let n = Int(text), valid(n) else { return false }
                       v[keyPath: path] = n
                       return true
                   })
    }
}

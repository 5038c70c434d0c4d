/// Every op the engine implements, from each family's definitions. `portrait op`, `compare --ops`,
/// `profile --ops`, the parity suite and the golden-fixture test all iterate this list.
public enum OpCatalog {
    /// All ops, family by family.
    public static let all: [OpDefinition] =
        ElementwiseOps.definitions + ConvolutionOps.definitions + LinearOps.definitions +
        NormalizationOps.definitions + PoolingOps.definitions + ResampleOps.definitions +
        GridSampleOps.definitions + CombineOps.definitions + DepthwiseConvolutionOps.definitions +
        SoftmaxOps.definitions + PixelShuffleOps.definitions + KeypointMotionOps.definitions +
        GroupedConvolutionOps.definitions + PReLUOps.definitions + ConstantPadOps.definitions +
        TransposeOps.definitions + AdaINOps.definitions + SpadeModulateOps.definitions

    /// The op called `name`.
    public static func op(named name: String) throws -> OpDefinition {
        guard let op = all.first(where: { $0.name == name }) else {
            throw OpError.unknownOp(name, known: all.map(\.name))
        }
        return op
    }
}

/// The FLOP convention shared by the kernels' cost formulas and the network's analytic FLOP table
/// (`Network.flopTable`, used by `profile`), so the two cannot count a convolution differently.
public enum FlopCount {
    /// FLOPs of `outputs` dot products of length `reduction`: 2 × the multiply-accumulates (an
    /// FMA counts 2), the convention of convolutions, linear layers and reference/model/flops.py.
    public static func multiplyAccumulate(reduction: Int, outputs: Int) -> Double {
        2 * Double(reduction) * Double(outputs)
    }
}

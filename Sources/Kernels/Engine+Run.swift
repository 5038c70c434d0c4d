import Runtime

extension Engine {
    /// Runs the declared op `op` on `inputs`: the one dispatch every migrated op goes through.
    ///
    /// On the CPU it runs `op.cpu` (timed under `op.name` with `op.cost` when profiling); on
    /// OpenCL it allocates the output and enqueues `op.openCL` (its launches carry the cost).
    /// With `validation` set it then re-runs `op.reference` (the CPU body, direct where the
    /// fallback would take Winograd) on host copies of the inputs and compares
    /// (this waits for the device), throwing `ValidationError.mismatch` naming the op, the shape
    /// and the error when the results disagree beyond the tolerance.
    public func run(_ op: some EngineOp, _ inputs: [Tensor]) throws -> Tensor {
        switch backend {
        case .cpu:
            let values = try inputs.map { try cpuValues($0) }
            return timedCPU(op.name, cost: op.cost) { Tensor(shape: op.outputShape, values: op.cpu(values)) }
        case .opencl(let cl):
            let output = try deviceOutput(cl, op.outputShape)
            try op.openCL(OpenCLLaunch(engine: self, context: cl, inputs: inputs, output: output, cost: op.cost))
            if let validation { try validate(op, inputs: inputs, output: output, validation) }
            return output
        }
    }

    /// Runs a resolved call (`run(call.op, call.inputs)`).
    public func run(_ call: OpCall) throws -> Tensor { try run(call.op, call.inputs) }

    /// Validate mode's check of one OpenCL result against the op's independent CPU reference.
    private func validate(_ op: some EngineOp, inputs: [Tensor], output: Tensor, _ validation: Validation) throws {
        let expected = op.reference(try inputs.map { try values($0) })
        let actual = try values(output)
        let tolerance = validation.tolerance ?? op.tolerance
        let comparison = Comparison(actual: actual, reference: expected, tolerance: tolerance)
        validatedOps += 1
        guard comparison.passed else {
            let worst = comparison.worstIndex
            throw ValidationError.mismatch(op: op.name, shape: op.outputShape, inputShapes: inputs.map(\.shape),
                                           comparison: comparison, tolerance: tolerance,
                                           worst: (index: worst, openCL: actual[worst], cpu: expected[worst]))
        }
    }
}

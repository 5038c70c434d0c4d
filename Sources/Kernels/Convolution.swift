import Runtime

/// Catalog entries for the Convolution family (filled in as the ops land).
enum ConvolutionOps {
    static var definitions: [OpDefinition] { [] }
}

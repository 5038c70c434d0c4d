import Runtime

/// Catalog entries for the Normalization family (filled in as the ops land).
enum NormalizationOps {
    static var definitions: [OpDefinition] { [] }
}

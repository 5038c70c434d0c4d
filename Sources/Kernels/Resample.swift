import Runtime

/// Catalog entries for the Resample family (filled in as the ops land).
enum ResampleOps {
    static var definitions: [OpDefinition] { [] }
}

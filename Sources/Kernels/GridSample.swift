import Runtime

/// Catalog entries for the GridSample family (filled in as the ops land).
enum GridSampleOps {
    static var definitions: [OpDefinition] { [] }
}

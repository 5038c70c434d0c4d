import Runtime

/// Catalog entries for the Pooling family (filled in as the ops land).
enum PoolingOps {
    static var definitions: [OpDefinition] { [] }
}

import Runtime

/// Catalog entries for the Linear family (filled in as the ops land).
enum LinearOps {
    static var definitions: [OpDefinition] { [] }
}

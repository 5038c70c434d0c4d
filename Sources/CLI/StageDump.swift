import Avatar
import Foundation
import Runtime

/// `--stages OUT.safetensors`: the float32 stage outputs of one run (the names `StageRecorder`
/// uses: `source.masked`, `es`, `volume.canonical`, `driver.z`, `warp.driver.grid`, `image`, ...)
/// and the model inputs that produced them (`source.image`, `source.mask`, `driver.image`), so
/// anyone can compare with another implementation without 8-bit quantisation.
struct StageDump {
    private var tensors: [String: Tensor] = [:]

    /// Adds every output `recorder` holds, each name prefixed with `prefix`.
    mutating func add(_ recorder: StageRecorder, prefix: String = "") {
        for name in recorder.order { if let t = recorder[name] { tensors[prefix + name] = t } }
    }

    /// Adds one input (a host tensor) under `name`, unless nil.
    mutating func add(input name: String, _ tensor: Tensor?) {
        if let tensor { tensors[name] = tensor }
    }

    /// Number of tensors collected.
    var count: Int { tensors.count }

    /// Writes the collected tensors atomically, with `metadata` (config name, weights fingerprint).
    func write(to path: String, metadata: [String: String]) throws {
        try SafeTensorsWriter.write(tensors, metadata: metadata.merging(["format": "portraitcl-stages-1"]) { a, _ in a }, to: path)
    }
}

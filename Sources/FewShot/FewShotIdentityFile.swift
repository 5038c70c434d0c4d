import Foundation
import Runtime

extension FewShotIdentity {
    /// The `format` metadata of a saved identity.
    public static let formatTag = "portraitcl-fewshot-identity-1"

    /// Writes ê (`e_hat` `[E]`) and ψ̂ (`psi` `[psiLength]`) to a safetensors file with metadata
    /// `format`, `frames` (K) and `widths` (the network's, so a later load can refuse other weights),
    /// plus `metadata` (a saved avatar's config and weights fingerprint).
    public func save(to path: String, widths: FewShotWidths, metadata: [String: String] = [:]) throws {
        let own = ["format": Self.formatTag, "frames": String(frames), "widths": widths.description]
        try SafeTensorsWriter.write(["e_hat": Tensor(shape: [vector.count], values: vector), "psi": Tensor(shape: [psi.count], values: psi)],
                                    metadata: metadata.merging(own) { _, mine in mine }, to: path)
    }

    /// Reads an identity saved by `save(to:widths:)` for a network of `widths`; refuses another
    /// format, other widths, or vectors of the wrong lengths.
    public static func load(path: String, widths: FewShotWidths) throws -> FewShotIdentity {
        let file = try SafeTensorsFile(path: path)
        let format = file.metadata["format"] ?? ""
        guard format == formatTag else {
            throw FewShotError.badIdentityFile(path: path, problem: "format '\(format)', expected '\(formatTag)' (made by FewShotIdentity.save)")
        }
        let saved = file.metadata["widths"] ?? ""
        guard saved == widths.description else {
            throw FewShotError.badIdentityFile(path: path, problem: "made for widths '\(saved)', these weights have '\(widths.description)'; rebuild it with these weights")
        }
        let tensors = try file.allTensors()
        guard let frames = Int(file.metadata["frames"] ?? ""), frames >= 1 else {
            throw FewShotError.badIdentityFile(path: path, problem: "no frame count (metadata 'frames')")
        }
        guard let vector = tensors["e_hat"]?.hostValues, vector.count == widths.embedding else {
            throw FewShotError.identityMismatch(expected: widths.embedding, found: tensors["e_hat"]?.count ?? 0)
        }
        guard let psi = tensors["psi"]?.hostValues, psi.count == widths.psiLength else {
            throw FewShotError.identityMismatch(expected: widths.psiLength, found: tensors["psi"]?.count ?? 0)
        }
        return FewShotIdentity(vector: vector, psi: psi, frames: frames)
    }
}

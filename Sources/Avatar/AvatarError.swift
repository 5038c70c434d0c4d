/// Errors of the network's inputs and avatar state. Each message says what was expected, what was
/// found, and what to do.
public enum AvatarError: Error, CustomStringConvertible, Sendable, Equatable {
    /// An input image is unusable: `role` is `source`, `driver` or `mask`.
    case invalidImage(role: String, problem: ImageProblem)
    /// A head pose is unusable (wrong count, not finite, singular matrix).
    case invalidPose(String)
    /// An avatar file could not be read or is not an avatar file.
    case avatarFile(path: String, reason: String)
    /// An avatar was made with a configuration the network does not have.
    case incompatibleAvatar(avatarConfig: String, networkConfig: String, differences: [String])
    /// A bug: the layout and loaded parameters disagree although they were checked.
    case internalInconsistency(String)
    /// An avatar was made with other weights than the network's (fingerprints differ).
    case weightsMismatch(avatarWeights: String, networkWeights: String)
    /// The device ran out of memory running `config`; `estimate` says what it needs.
    case outOfDeviceMemory(config: String, device: String, estimate: DeviceMemoryEstimate, cause: String)

    /// What is wrong with an image tensor.
    public enum ImageProblem: Sendable, Equatable, CustomStringConvertible {
        /// Not `[1, channels, H, W]`.
        case layout(expected: [Int], found: [Int])
        /// Height and width differ.
        case notSquare(height: Int, width: Int)
        /// Smaller than the network's image size.
        case tooSmall(side: Int, required: Int)
        /// Larger than the network's image size.
        case tooLarge(side: Int, required: Int)
        /// Contains NaN or infinity.
        case notFinite

        /// A one-line message: what was expected, what was found, what to do.
        public var description: String {
            switch self {
            case .layout(let e, let f): return "expected a tensor of shape \(e) (batch 1, NCHW), found \(f)"
            case .notSquare(let h, let w): return "is \(w)×\(h), not square; crop it to a square around the face first"
            case .tooSmall(let s, let r): return "is \(s)×\(s), smaller than the model's \(r)×\(r); use a larger image (upscaling loses detail)"
            case .tooLarge(let s, let r): return "is \(s)×\(s), the model takes \(r)×\(r); resize it first (portrait render does this)"
            case .notFinite: return "contains NaN or infinite values"
            }
        }
    }

    /// A one-line message: what was expected, what was found, what to do.
    public var description: String {
        switch self {
        case .invalidImage(let role, let problem): return "\(role) image \(problem)"
        case .invalidPose(let m): return "head pose: \(m)"
        case .avatarFile(let p, let r): return "\(p): not a usable avatar file: \(r)"
        case .incompatibleAvatar(let a, let n, let d):
            return "the avatar was made with config '\(a)' but the network uses '\(n)' (\(d.joined(separator: "; "))); rebuild the avatar from its source image with this model"
        case .internalInconsistency(let m): return "internal error: \(m) (please report)"
        case .weightsMismatch(let a, let n):
            return "the avatar was made with other weights (fingerprint \(a)) than the network's (\(n)); rebuild it with `portrait avatar` and these weights"
        case .outOfDeviceMemory(let config, let device, let e, let cause):
            let need = DeviceMemoryEstimate.format(e.totalBytes)
            return "out of device memory on \(device) (\(cause)): config '\(config)' needs about \(need) "
                + "(\(DeviceMemoryEstimate.format(e.parameterBytes)) weights with their repacked copy, \(DeviceMemoryEstimate.format(e.avatarBytes)) avatar, "
                + "\(DeviceMemoryEstimate.format(e.activationBytes)) working set); use a device with more memory, a smaller config, or --device cpu"
        }
    }
}

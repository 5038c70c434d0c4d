import Kernels
import NetworkCore
import Runtime

/// The pose head's bias: a near-identity, well-conditioned pose (`init.py POSE_BIAS`).
let poseHeadBias: [Float] = [1, 1, 1, 0.1, -0.05, 0.05, 0.02, -0.03, 0]

/// Head pose (`network.py Pose`): ResNet-18 with BatchNorm folded → global average pool → linear 9.
struct Pose {
    let trunk: ResNetTrunk
    let fc: Linear

    init(_ c: ParameterCollector, _ cfg: ModelConfig) {
        trunk = ResNetTrunk(c, "pose.trunk", bottleneck: false, layers: cfg.poseLayers, width: cfg.poseWidth, norm: .folded, gain: 6)
        let fanIn = trunk.outputChannels
        fc = Linear(c, "pose.fc", fanIn, 9, bias: true, initializer: .fanIn(gain: 3, scale: 0.05),
                    biasInitializer: .constant(poseHeadBias))
    }

    /// The 9 pose parameters `[1, 9]` of a pose-sized input.
    func callAsFunction(_ f: ModelForward, _ input: Tensor) throws -> Tensor {
        let features = try f.engine.adaptiveAvgPool2d(trunk(f, input), outputSize: [1, 1])
        return try fc(f, features.reshaped([features.shape[0], trunk.outputChannels]))
    }

    func flops(_ cfg: ModelConfig) -> Double { trunk.flops(side: cfg.poseInputSize).flops + fc.flops }
}

/// Expression (`network.py Expression`): ImageNet normalisation of the aligned crop → ResNet-18 (GN)
/// → 1×1 conv → adaptive average pool → flatten → linear without bias → z.
struct Expression {
    let trunk: ResNetTrunk
    let head: Conv
    let fc: Linear
    let normalise: ImageNormalisation

    init(_ c: ParameterCollector, _ cfg: ModelConfig) {
        trunk = ResNetTrunk(c, "expression.trunk", bottleneck: false, layers: cfg.expressionLayers, width: cfg.expressionWidth, norm: .groupNorm(cfg.groupNorm))
        head = Conv(c, "expression.head", dims: 2, trunk.outputChannels, cfg.zChannels, kernel: 1, bias: false)
        let p = cfg.expressionPoolSize
        fc = Linear(c, "expression.fc", cfg.zChannels * p * p, cfg.zChannels, bias: false)
        normalise = ImageNormalisation(c, cfg)
    }

    /// z `[1, Z]` of a crop `[1, 3, crop, crop]`.
    func callAsFunction(_ f: ModelForward, _ crop: Tensor) throws -> Tensor {
        let p = f.config.expressionPoolSize
        let x = try head(f, trunk(f, normalise(f, crop)))
        let pooled = try f.engine.adaptiveAvgPool2d(x, outputSize: [p, p])
        return try fc(f, pooled.reshaped([pooled.shape[0], fc.inputs]))
    }

    func flops(_ cfg: ModelConfig) -> Double {
        let (total, side) = trunk.flops(side: cfg.expressionCropSize)
        return total + head.flops(points: side * side) + fc.flops
    }
}

/// The result of the motion encoder on one image.
struct MotionCode {
    /// The 9 pose parameters.
    let pose: HeadPose
    /// θ, row-major 4×4.
    let theta: [Double]
    /// The expression latent `[1, Z]` (resident).
    let z: Tensor
}

extension ModelForward {
    /// θ and the pose parameters of `image` (stage `pose`), recording `<prefix>.pose_input`,
    /// `<prefix>.pose` and `<prefix>.theta`.
    func headPose(_ layout: NetworkLayout, _ image: Tensor, prefix: String) throws -> (HeadPose, [Double]) {
        try stage("pose") {
            let input = try resizeSquare(self, image, config.poseInputSize)
            let params = try layout.pose(self, input)
            let values = try engine.values(params)
            let pose = try HeadPose(parameters: values)
            let theta = pose.matrix(angleMin: config.poseAngleMin, angleMax: config.poseAngleMax)
            try record("\(prefix).pose_input", input)
            try record("\(prefix).pose", params)
            try record("\(prefix).theta", Matrix4.tensor(theta))
            return (pose, theta)
        }
    }

    /// z of `image` seen under `theta` (stage `expression`): the 2× zoomed crop aligned by θ⁻¹,
    /// then the expression network; records `<prefix>.crop` and `<prefix>.z`.
    func expression(_ layout: NetworkLayout, _ image: Tensor, theta: [Double], prefix: String) throws -> Tensor {
        try stage("expression") {
            let n = config.expressionCropSize
            let affine = try Matrix4.cropAffine(theta: theta, zoom: config.expressionZoom, what: prefix)
            let grid = try engine.affineGrid(theta: engine.resident(affine), size: [1, 3, n, n], alignCorners: true)
            let crop = try engine.gridSample(image, grid: grid, mode: .bilinear, padding: .zeros, alignCorners: false)
            let z = try layout.expression(self, crop)
            try record("\(prefix).crop", crop)
            try record("\(prefix).z", z)
            return z
        }
    }

    /// Head pose, then expression (`network.py MegaPortraits.motion`).
    func motion(_ layout: NetworkLayout, _ image: Tensor, prefix: String) throws -> MotionCode {
        let (pose, theta) = try headPose(layout, image, prefix: prefix)
        let z = try expression(layout, image, theta: theta, prefix: prefix)
        return MotionCode(pose: pose, theta: theta, z: z)
    }
}

#if canImport(Media)
import ArgumentParser
import Media

/// How a picture is framed for the model: found automatically, the centred square, or given.
enum CropChoice: Equatable, ExpressibleByArgument {
    /// Find the face and frame it as the official inference does (the default).
    case auto
    /// The largest centred square, no detection.
    case none
    /// This square, in pixels; it may reach beyond the picture (padded black there).
    case fixed(SquareCrop)

    /// Parses `auto`, `none` or `x,y,size`.
    init?(argument: String) {
        switch argument.lowercased() {
        case "auto": self = .auto
        case "none": self = .none
        default:
            guard let box = try? parseCrop(argument) else { return nil }
            self = .fixed(box)
        }
    }

    static var defaultCompletionKind: CompletionKind { .list(["auto", "none"]) }
}

/// What `--crop-smoothing` follows on a driving video (`--crop-smoothing-by`).
enum CropSmoothing: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// The dense landmarks, with the official crop's mean offset from them (`LandmarkAnchoring`).
    case landmarks
    /// Each frame's official crop as computed from the detector's box.
    case box
}

/// The pictures a command frames: the source, the driver, or both.
enum FramedRole: String, Sendable {
    case source
    case driver
}

/// How one role's pictures are framed: the crop choice and, for `.auto`, which face.
struct RoleFraming: Equatable {
    /// Auto, centred or a given square.
    var choice: CropChoice
    /// With `.auto`, which face (0 = the largest).
    var face: Int
    /// The option that chose `face`, for messages (`--source-face`, `--face`, or the default).
    var faceOption: String
}

/// `--crop`, `--face` (both pictures), `--source-crop`/`--driver-crop`, `--source-face`/`--driver-face`
/// (one of them; the specific option wins over the shared one), `--crop-smoothing`: which face the
/// model sees in each picture and how it is framed.
struct CropOptions: ParsableArguments {
    @Option(help: ArgumentHelp("For the source and the driver: auto finds the face (see --detector) and frames it as the official inference (default); none takes the largest centred square; x,y,size is a square in pixels, which may reach beyond the picture (black there). --source-crop/--driver-crop override it for one of them.",
                               valueName: "auto|none|x,y,size"))
    var crop: CropChoice?

    @Option(name: .customLong("source-crop"), help: ArgumentHelp("The source's framing (auto, none or x,y,size); overrides --crop for the source.", valueName: "auto|none|x,y,size"))
    var sourceCrop: CropChoice?

    @Option(name: .customLong("driver-crop"), help: ArgumentHelp("The driver's framing (auto, none or x,y,size, the same square on every frame); overrides --crop for the driver.", valueName: "auto|none|x,y,size"))
    var driverCrop: CropChoice?

    @Option(help: "With auto framing, which face when there are several, in the source and the driver: 0 is the largest (`portrait faces` lists them); a driving video follows that face of its first frame. --source-face/--driver-face override it for one of them.")
    var face: Int?

    @Option(name: .customLong("source-face"), help: "Which face of the source (0 is the largest); overrides --face for the source, e.g. the second person of a group photo with a one-person driver.")
    var sourceFace: Int?

    @Option(name: .customLong("driver-face"), help: "Which face of the driver's first frame to follow (0 is the largest); overrides --face for the driver.")
    var driverFace: Int?

    @Option(name: .customLong("detector"), help: ArgumentHelp("With auto framing, the face finder: auto (the default) is mediapipe, and YuNet where MediaPipe finds no face (said on stderr); mediapipe (BlazeFace + FaceMesh: EMOPortraits' official crop from the BlazeFace box, LivePortrait's official rule on the dense landmarks; its short-range detector misses faces under about a fifth of the picture); yunet (five landmarks, finds small faces, crops by rules fitted to MediaPipe's).", valueName: "auto|mediapipe|yunet"))
    var detectorOption: DetectorChoice?

    /// The face finder `--crop auto` uses: `--detector`, by default MediaPipe with YuNet where it
    /// finds no face (docs/face-detection.md).
    var detector: DetectorChoice { detectorOption ?? .auto }

    @Option(name: .customLong("crop-smoothing"),
            help: "With auto framing on a driving video, average each frame's crop with this many frames on each side (default: a fifth of a second of frames; 0 crops every frame on its own).")
    var cropSmoothing: Int?

    @Option(name: .customLong("crop-smoothing-by"),
            help: ArgumentHelp("With auto framing on a driving video, what the smoothing follows: landmarks (the default: the face's FaceMesh landmarks carry each crop, the official crop's offset from them averaged over the clip so far; steadier) or box (each frame's official crop from the detector's box, averaged). Only MegaPortraits' crop, framed from MediaPipe's box, differs: LivePortrait's is computed from the landmarks already, YuNet's faces have none.", valueName: "landmarks|box"))
    var cropSmoothingByOption: CropSmoothing?

    /// What the driving video's crop smoothing follows: `--crop-smoothing-by`, the landmarks by default.
    var cropSmoothingBy: CropSmoothing { cropSmoothingByOption ?? .landmarks }

    func validate() throws {
        for (name, value) in [("--face", face), ("--source-face", sourceFace), ("--driver-face", driverFace)] {
            if let value, value < 0 { throw ValidationError("\(name) must be 0 (the largest) or more, got \(value)") }
        }
        if let cropSmoothing, cropSmoothing < 0 { throw ValidationError("--crop-smoothing must not be negative") }
        if sourceFace != nil, source.choice != .auto {
            throw ValidationError("--source-face picks a face found by auto framing, but the source is framed by --\(sourceCrop == nil ? "" : "source-")crop \(Self.name(source.choice)); drop one of them")
        }
        if driverFace != nil, driver.choice != .auto {
            throw ValidationError("--driver-face picks a face found by auto framing, but the driver is framed by --\(driverCrop == nil ? "" : "driver-")crop \(Self.name(driver.choice)); drop one of them")
        }
        if let detectorOption, source.choice != .auto, driver.choice != .auto {
            throw ValidationError("--detector \(detectorOption.rawValue) finds faces for auto framing, but neither picture is framed auto (see --crop, --source-crop, --driver-crop); drop it")
        }
        if face != nil, !(source.choice == .auto && sourceFace == nil), !(driver.choice == .auto && driverFace == nil) {
            throw ValidationError("--face applies to auto framing, but neither picture uses it with --face (see --crop, --source-crop, --driver-crop, --source-face, --driver-face)")
        }
    }

    /// Refuses the options for a role the command does not frame (e.g. `--driver-crop` on
    /// `portrait avatar`), so that no option is silently ignored.
    func check(roles: Set<FramedRole>, command: String) throws {
        var unused: [String] = []
        if !roles.contains(.source) {
            if sourceCrop != nil { unused.append("--source-crop") }
            if sourceFace != nil { unused.append("--source-face") }
        }
        if !roles.contains(.driver) {
            if driverCrop != nil { unused.append("--driver-crop") }
            if driverFace != nil { unused.append("--driver-face") }
            if cropSmoothing != nil { unused.append("--crop-smoothing") }
            if cropSmoothingByOption != nil { unused.append("--crop-smoothing-by") }
        }
        guard unused.isEmpty else {
            let only = roles.count == 1 ? roles.first?.rawValue ?? "" : "both pictures"
            throw ValidationError("`portrait \(command)` frames only the \(only): \(unused.joined(separator: ", ")) would change nothing; use --crop/--face or leave \(unused.count == 1 ? "it" : "them") out")
        }
    }

    /// The source's framing: `--source-crop`/`--source-face`, else `--crop`/`--face`, else auto, face 0.
    var source: RoleFraming {
        RoleFraming(choice: sourceCrop ?? crop ?? .auto, face: sourceFace ?? face ?? 0,
                    faceOption: sourceFace != nil ? "--source-face" : face != nil ? "--face" : "the default face")
    }

    /// The driver's framing: `--driver-crop`/`--driver-face`, else `--crop`/`--face`, else auto, face 0.
    var driver: RoleFraming {
        RoleFraming(choice: driverCrop ?? crop ?? .auto, face: driverFace ?? face ?? 0,
                    faceOption: driverFace != nil ? "--driver-face" : face != nil ? "--face" : "the default face")
    }

    /// Whether the face detector is needed: a source (`hasSource`) or driver (`hasDriver`) framed `auto`.
    func needsDetector(hasSource: Bool, hasDriver: Bool) -> Bool {
        (hasSource && source.choice == .auto) || (hasDriver && driver.choice == .auto)
    }

    /// The smoothing radius in frames for a clip at `frameRate` frames per second.
    func smoothingRadius(frameRate: Double) -> Int {
        cropSmoothing ?? max(1, Int((frameRate / 5).rounded()))
    }

    /// `auto`, `none` or `x,y,size`, as the option is written.
    static func name(_ choice: CropChoice) -> String {
        switch choice {
        case .auto: return "auto"
        case .none: return "none"
        case .fixed(let box): return box.description
        }
    }
}
#endif

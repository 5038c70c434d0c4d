#if canImport(Media)
import ArgumentParser
import Media

/// How a picture is framed for the model: found automatically, the centred square, or given.
enum CropChoice: Equatable, ExpressibleByArgument {
    /// Find the face and frame it as the official inference does (the default).
    case auto
    /// The largest centred square, no detection.
    case none
    /// This square, in pixels, for the source and every driver frame.
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

/// `--crop`, `--face`, `--crop-smoothing`: which face the model sees and how it is framed.
struct CropOptions: ParsableArguments {
    @Option(help: ArgumentHelp("auto: find the face (YuNet) and frame it as the official EMOPortraits inference (default); none: the largest centred square; or x,y,size in pixels, for the source and every driver frame.",
                               valueName: "auto|none|x,y,size"))
    var crop: CropChoice = .auto

    @Option(help: "With --crop auto, which face when there are several: 0 is the largest (the source's faces are listed by `portrait faces`); a driving video follows that face of its first frame.")
    var face = 0

    @Option(name: .customLong("crop-smoothing"),
            help: "With --crop auto on a driving video, average each frame's crop with this many frames on each side (default: a fifth of a second of frames; 0 crops every frame on its own).")
    var cropSmoothing: Int?

    func validate() throws {
        guard face >= 0 else { throw ValidationError("--face must be 0 (the largest) or more, got \(face)") }
        if let cropSmoothing, cropSmoothing < 0 { throw ValidationError("--crop-smoothing must not be negative") }
    }

    /// The explicit square of `--crop x,y,size`, else nil.
    var fixedBox: SquareCrop? {
        if case .fixed(let box) = crop { return box }
        return nil
    }

    /// The smoothing radius in frames for a clip at `frameRate` frames per second.
    func smoothingRadius(frameRate: Double) -> Int {
        cropSmoothing ?? max(1, Int((frameRate / 5).rounded()))
    }
}
#endif

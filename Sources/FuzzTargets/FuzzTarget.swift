import Avatar
import Foundation
import Media
import Runtime

/// One parser of untrusted input, as the fuzzers (Fuzz/) and the corpus replay test
/// (Tests/FuzzTargetsTests) drive it: bytes in, and either a parsed value or a typed error out.
/// Anything else (a trap, an untyped error) is a bug: the input must give a message and exit 2.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `SafeTensorsFile(data:path:)` plus reading every tensor it lists (dtypes it cannot convert
    /// must be refused with `unsupportedDType`).
    case safetensors
    /// `Avatar.load(data:path:)`: an avatar file (safetensors with config metadata).
    case avatar
    /// `ModelConfig.decode`: config JSON, decoded and validated.
    case config
    /// `PoseCSV.parse`: the `--pose-csv` file.
    case poseCSV = "pose-csv"
    /// `ImageReader.read`: PNG (libpng), JPEG and anything else libav reads as a picture.
    case image
    /// `VideoReader(path:)` and its first frames: the video probe and decoder.
    case video

    /// Frames the video target decodes after opening (enough to reach the decoder, few enough
    /// to stay fast).
    public static let videoFrames = 3

    /// Feeds `data` to the parser. Returns what it did; never traps on its own account.
    public func run(_ data: Data) -> FuzzOutcome {
        do {
            try parse(data)
            return .accepted
        } catch let error as SafeTensorsError { return .rejected(error.description)
        } catch let error as AvatarError { return .rejected(error.description)
        } catch let error as ConfigError { return .rejected(error.description)
        } catch let error as MediaError { return .rejected(error.description)
        } catch let error as RuntimeError { return .rejected(error.description)
        } catch { return .untyped("\(type(of: error)): \(error)") }
    }

    private func parse(_ data: Data) throws {
        let name = "<\(rawValue) input>"
        switch self {
        case .safetensors:
            let file = try SafeTensorsFile(data: data, path: name)
            for tensorName in file.names {
                do { _ = try file.tensor(tensorName) } catch SafeTensorsError.unsupportedDType {}
            }
        case .avatar:
            _ = try Avatar.load(data: data, path: name)
        case .config:
            _ = try ModelConfig.decode(data, source: name)
        case .poseCSV:
            guard let text = String(data: data, encoding: .utf8) else {
                throw MediaError.unsupportedFormat(path: name, reason: "not UTF-8 text")
            }
            _ = try PoseCSV.parse(text, source: name)
        case .image:
            let image = try ScratchFile.with(data, for: rawValue) { path in try ImageReader.read(path) }
            precondition(image.width > 0 && image.height > 0, "ImageReader returned an empty image")
        case .video:
            _ = try ScratchFile.with(data, for: rawValue) { path in try VideoReader(path: path).readAll(limit: Self.videoFrames) }
        }
    }
}

/// What a parser made of one input.
public enum FuzzOutcome: Equatable, Sendable {
    /// The input parsed.
    case accepted
    /// The parser refused it with a typed error; the message the user would see.
    case rejected(String)
    /// The parser threw something that is not one of the engine's typed errors: a bug.
    case untyped(String)
}

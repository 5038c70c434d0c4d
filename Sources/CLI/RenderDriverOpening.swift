#if canImport(Media)
import ArgumentParser
import Foundation
import LivePortrait
import Media
import NetworkCore
import PortraitKit

extension RenderCommand {
    /// Opens what drives a render: the `--driver` clip, picture or motion file (framed by
    /// `framing`), or the explicit `--pose`, `--pose-sweep`, `--pose-csv`, `--edit`, `--edit-csv`
    /// frames. A motion file is checked against the LivePortrait network it will drive; any other
    /// network refuses it. Shared by the one-face render and `--faces all`.
    func openDrive(network: any PortraitModel, framing: DriverFraming, outputRate: FrameRate?) throws -> DriverSource {
        let drive: DriverSource
        if let driver {
            drive = try DriverSource.open(driver: driver, size: network.inputSize, framing: framing, filter: input.filter(for: network), frameRate: outputRate)
        } else if let pose { drive = .poses(try PoseParser.parse(list: pose)) }
        else if let poseSweep { drive = .poses(try PoseParser.sweep(poseSweep, frames: frames ?? 48)) }
        else if let poseCSV { drive = .poses(try PoseParser.csv(poseCSV)) }
        else if let edit { drive = .edits([try ExpressionEdit.parse(edit)]) }
        else if let editCSV {
            guard let text = try? String(contentsOfFile: editCSV, encoding: .utf8) else { throw MediaError.fileNotFound(path: editCSV) }
            drive = .edits(try ExpressionEditCSV.parse(text, source: editCSV))
        } else { throw ValidationError("give one of --driver, --pose, --pose-sweep, --pose-csv, --edit, --edit-csv") }
        if case .motions(let track, let path) = drive {
            guard let livePortrait = network as? LivePortraitModel else {
                throw ValidationError("\(path): motion files hold LivePortrait's implicit keypoints; use a LivePortrait config (--model liveportrait)")
            }
            try track.check(against: livePortrait.network, path: path)
        }
        return drive
    }
}
#endif

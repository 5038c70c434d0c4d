/// Per-frame head poses from CSV text: a header naming the columns yaw, pitch, roll (degrees) and
/// optionally tx, ty, tz and scale, then one line of numbers per frame. Blank lines are skipped.
public enum PoseCSV {
    /// Parses `text`; `source` names it in errors. Throws `AvatarError.invalidPose` saying which
    /// line and column is wrong, or which pose is unusable (`HeadPose.validate`).
    public static func parse(_ text: String, source: String) throws(AvatarError) -> [HeadPose] {
        var lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        guard !lines.isEmpty else { throw .invalidPose("\(source): empty pose CSV; give a header yaw,pitch,roll then one line per frame") }
        let header = lines.removeFirst().lowercased().split(separator: ",", omittingEmptySubsequences: false).map(trimmed)
        func column(_ name: String) -> Int? { header.firstIndex(of: name) }
        guard let yaw = column("yaw"), let pitch = column("pitch"), let roll = column("roll") else {
            throw .invalidPose("\(source): the header must name yaw,pitch,roll (degrees), optionally tx,ty,tz,scale")
        }
        let (scale, tx, ty, tz) = (column("scale"), column("tx"), column("ty"), column("tz"))
        var poses: [HeadPose] = []
        poses.reserveCapacity(lines.count)
        for (n, line) in lines.enumerated() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { Double(trimmed($0)) }
            func value(_ i: Int?, _ fallback: Double) throws(AvatarError) -> Double {
                guard let i else { return fallback }
                guard i < cells.count, let v = cells[i] else {
                    throw .invalidPose("\(source): line \(n + 2) has no number in column \(header[i])")
                }
                return v
            }
            let s = try value(scale, 1)
            let pose = HeadPose(scale: [s, s, s], yaw: try value(yaw, 0) * .pi / 180, pitch: try value(pitch, 0) * .pi / 180,
                                roll: try value(roll, 0) * .pi / 180,
                                translation: [try value(tx, 0), try value(ty, 0), try value(tz, 0)])
            do { try pose.validate() } catch {
                let reason = if case .invalidPose(let m)? = error as? AvatarError { m } else { "\(error)" }
                throw .invalidPose("\(source): line \(n + 2): \(reason)")
            }
            poses.append(pose)
        }
        return poses
    }

    private static func trimmed(_ s: Substring) -> String {
        String(s.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}

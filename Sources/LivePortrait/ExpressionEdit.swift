import Foundation

/// Named expression and head edits of a LivePortrait source — the controls ComfyUI's
/// AdvancedLivePortrait "Expression Editor" made popular — as offsets of the implicit keypoints'
/// expression deltas and of the head angles.
///
/// Each control moves fixed (keypoint, axis) entries of the 21 × 3 expression by a fixed
/// coefficient per unit (the keypoints and coefficients are that editor's, read from its code; the
/// code here is ours). Two choices differ from that editor, so that an empty edit leaves the
/// source exactly as it is: the offsets are added to the source's expression in the official
/// keypoint equation `x = s · (kp · R + δ + Δ) + t` with tz = 0 (the editor adds them to `kp + δ`
/// before rotating, and keeps tz), and the angles are added to the source's own angles (yaw with
/// the editor's sign: positive turns the head to the viewer's left). Entries beyond a smaller
/// model's keypoint count are ignored.
public struct ExpressionEdit: Sendable, Equatable {
    /// The controls, in the order `--edit` lists them, with their ranges in the editor's UI.
    public enum Control: String, CaseIterable, Sendable {
        /// Head pitch in degrees (−20…20): positive looks up.
        case pitch
        /// Head yaw in degrees (−20…20).
        case yaw
        /// Head roll in degrees (−20…20).
        case roll
        /// Eyes: negative closes (−20…5).
        case blink
        /// Eyebrows: positive raises (−10…15).
        case eyebrow
        /// A wink of one eye (0…25).
        case wink
        /// Gaze left/right (−15…15).
        case pupilX = "pupil_x"
        /// Gaze up/down (−15…15).
        case pupilY = "pupil_y"
        /// Mouth open, "aaa" (−30…120).
        case aaa
        /// Mouth wide, "eee" (−20…15).
        case eee
        /// Lips rounded, "woo" (−20…15).
        case woo
        /// Smile (−0.3…1.3).
        case smile
    }

    /// The value of each control (absent: 0).
    public var values: [Control: Double]

    /// An edit from control values.
    public init(_ values: [Control: Double] = [:]) { self.values = values }

    /// Parses `name=value,name=value` (names as `Control`'s raw values); unknown names, repeated
    /// names and non-finite values are errors that list the names.
    public static func parse(_ text: String) throws -> ExpressionEdit {
        var values: [Control: Double] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let names = Control.allCases.map(\.rawValue).joined(separator: ", ")
            guard parts.count == 2, let control = Control(rawValue: parts[0].lowercased()) else {
                throw LivePortraitError.invalidInput("--edit: '\(item)' is not NAME=VALUE with NAME one of \(names)")
            }
            guard let value = Double(parts[1]), value.isFinite else {
                throw LivePortraitError.invalidInput("--edit: '\(parts[1])' is not a number (in '\(item)')")
            }
            guard values[control] == nil else { throw LivePortraitError.invalidInput("--edit: \(control.rawValue) is given twice") }
            values[control] = value
        }
        return ExpressionEdit(values)
    }

    /// Whether every control is 0.
    public var isEmpty: Bool { values.values.allSatisfy { $0 == 0 } }

    private func value(_ control: Control) -> Double { values[control] ?? 0 }

    /// Offsets (pitch, yaw, roll) in degrees added to the source's head angles.
    public var angleOffsets: (pitch: Double, yaw: Double, roll: Double) {
        let aaa = value(.aaa), wink = value(.wink)
        return (value(.pitch) - aaa * 0.05, -value(.yaw) - wink * 0.1, value(.roll) - wink * 0.1)
    }

    /// The expression offsets Δ, `keypoints × 3` values (keypoint-major).
    public func expressionOffsets(keypoints: Int) -> [Double] {
        var delta = [Double](repeating: 0, count: keypoints * 3)
        func add(_ keypoint: Int, _ axis: Int, _ amount: Double) {
            if keypoint < keypoints { delta[keypoint * 3 + axis] += amount }
        }
        let smile = value(.smile), aaa = value(.aaa), eee = value(.eee), woo = value(.woo)
        let wink = value(.wink), pupilX = value(.pupilX), pupilY = value(.pupilY), eyebrow = value(.eyebrow)
        for (k, a, c) in [(20, 1, -0.01), (14, 1, -0.02), (17, 1, 0.0065), (17, 2, 0.003), (13, 1, -0.00275),
                          (16, 1, -0.00275), (3, 1, -0.0035), (7, 1, -0.0035)] { add(k, a, smile * c) }
        for (k, a, c) in [(19, 1, 0.001), (19, 2, 0.0001), (17, 1, -0.0001)] { add(k, a, aaa * c) }
        for (k, a, c) in [(20, 2, -0.001), (20, 1, -0.001), (14, 1, -0.001)] { add(k, a, eee * c) }
        for (k, a, c) in [(14, 1, 0.001), (3, 1, -0.0005), (7, 1, -0.0005), (17, 2, -0.0005)] { add(k, a, woo * c) }
        for (k, a, c) in [(11, 1, 0.001), (13, 1, -0.0003), (17, 0, 0.0003), (17, 1, 0.0003), (3, 1, -0.0003)] { add(k, a, wink * c) }
        add(11, 0, pupilX * (pupilX > 0 ? 0.0007 : 0.001))
        add(15, 0, pupilX * (pupilX > 0 ? 0.001 : 0.0007))
        add(11, 1, pupilY * -0.001)
        add(15, 1, pupilY * -0.001)
        let eyes = value(.blink) - pupilY / 2
        for (k, a, c) in [(11, 1, -0.001), (13, 1, 0.0003), (15, 1, -0.001), (16, 1, 0.0003), (1, 1, -0.00025), (2, 1, 0.00025)] {
            add(k, a, eyes * c)
        }
        if eyebrow > 0 {
            add(1, 1, eyebrow * 0.001)
            add(2, 1, eyebrow * -0.001)
        } else {
            add(1, 0, eyebrow * -0.001)
            add(2, 0, eyebrow * 0.001)
            add(1, 1, eyebrow * 0.0003)
            add(2, 1, eyebrow * -0.0003)
        }
        return delta
    }
}

extension LivePortraitMotion {
    /// This (source) motion with `edit` applied: its angles offset and its expression moved by
    /// the edit's offsets. Driving a source with its own edited motion in relative mode (the
    /// source's motion as first frame) renders the edited source; an empty edit renders it as it is.
    public func edited(_ edit: ExpressionEdit) -> LivePortraitMotion {
        var motion = self
        let angles = edit.angleOffsets
        motion.pitch += angles.pitch
        motion.yaw += angles.yaw
        motion.roll += angles.roll
        let delta = edit.expressionOffsets(keypoints: keypointCount)
        motion.expression = zip(motion.expression, delta).map(+)
        return motion
    }
}

/// Parses a per-frame edit CSV: a header naming `ExpressionEdit.Control` columns (any subset, any
/// order), then one row of numbers per frame.
public enum ExpressionEditCSV {
    /// The edits of `text`; `source` names the file in errors.
    public static func parse(_ text: String, source: String) throws -> [ExpressionEdit] {
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let header = lines.first else { throw LivePortraitError.invalidInput("\(source): the edit CSV is empty; it needs a header of control names and one row per frame") }
        let names = ExpressionEdit.Control.allCases.map(\.rawValue).joined(separator: ", ")
        let controls = try header.split(separator: ",").map { name -> ExpressionEdit.Control in
            let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard let control = ExpressionEdit.Control(rawValue: trimmed) else {
                throw LivePortraitError.invalidInput("\(source): unknown edit column '\(trimmed)' (columns: \(names))")
            }
            return control
        }
        guard Set(controls).count == controls.count else { throw LivePortraitError.invalidInput("\(source): a column is named twice in '\(header)'") }
        let rows = try lines.dropFirst().enumerated().map { index, line -> ExpressionEdit in
            let values = line.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard values.count == controls.count, values.allSatisfy({ $0?.isFinite == true }) else {
                throw LivePortraitError.invalidInput("\(source): row \(index + 2) needs \(controls.count) numbers (\(controls.map(\.rawValue).joined(separator: ","))), got '\(line)'")
            }
            return ExpressionEdit(Dictionary(uniqueKeysWithValues: zip(controls, values.map { $0! })))
        }
        guard !rows.isEmpty else { throw LivePortraitError.invalidInput("\(source): the edit CSV has a header but no rows (one row per frame)") }
        return rows
    }
}

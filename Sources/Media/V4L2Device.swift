import Foundation

/// Checks a V4L2 device path before libavdevice opens it, so that a missing webcam or loopback
/// device is a message that says what exists and what to do, not an errno.
enum V4L2Device {
    /// The `/dev/video*` character devices on this machine, sorted by number.
    static func present() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/dev")) ?? []
        return names.filter { $0.hasPrefix("video") && isCharacterDevice("/dev/\($0)") }
            .sorted { (Int($0.dropFirst(5)) ?? .max, $0) < (Int($1.dropFirst(5)) ?? .max, $1) }
            .map { "/dev/\($0)" }
    }

    /// Throws `LiveError.noSuchDevice` when `path` is not a character device (`output`: a
    /// v4l2loopback device to write to; else a camera to read).
    static func check(_ path: String, output: Bool) throws(LiveError) {
        guard isCharacterDevice(path) else { throw .noSuchDevice(path: path, output: output, present: present()) }
    }

    private static func isCharacterDevice(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return info.st_mode & S_IFMT == S_IFCHR
    }
}

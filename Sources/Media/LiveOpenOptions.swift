import CFFmpeg
import Foundation

/// The options a live input or output is opened with: ours (defaults for low latency) and the
/// user's (`--driver-option`/`--output-option KEY=VALUE`, which win), as the libav* dictionary
/// the open calls consume. Whatever the user gave that no protocol, format or device consumed is
/// an error, never silently ignored.
public struct LiveOpenOptions {
    private var defaults: [(String, String)]
    private let user: [(String, String)]

    /// `defaults` are ours; `user` override them.
    init(defaults: [(String, String)], user: [(String, String)]) {
        self.defaults = defaults
        self.user = user
    }

    /// Adds one of our defaults (the user's value for `key`, if any, still wins).
    mutating func setDefault(_ key: String, _ value: String) { defaults.append((key, value)) }

    /// A new dictionary holding every option; the caller frees it (`av_dict_free`).
    func dictionary() -> OpaquePointer? {
        var dictionary: OpaquePointer? = nil
        for (key, value) in defaults + user { av_dict_set(&dictionary, key, value, 0) }
        return dictionary
    }

    /// The user's keys still in `dictionary` after the open calls consumed what they know.
    func unconsumed(_ dictionary: OpaquePointer?) -> [String] {
        user.map(\.0).filter { av_dict_get(dictionary, $0, nil, 0) != nil }
    }

    /// Parses `KEY=VALUE` texts; throws `MediaError.invalidArgument` naming `flag` for any other form.
    public static func parse(_ items: [String], flag: String) throws -> [(String, String)] {
        try items.map { item in
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                throw MediaError.invalidArgument("\(flag) \(item): expected KEY=VALUE (e.g. \(flag) listen=1)")
            }
            return (String(item[..<equals]), String(item[item.index(after: equals)...]))
        }
    }
}

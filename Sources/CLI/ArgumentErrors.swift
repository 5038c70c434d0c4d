import ArgumentParser
import Foundation

/// Command-line tokens before parsing. swift-argument-parser reads a token that starts with `-`
/// as an option, so `--crop -100,-100,300` or `--pose-sweep -30:30` would fail ("missing value");
/// a negative number (or a list of numbers) right after a long option is joined to it as
/// `--crop=-100,-100,300`, which the parser reads as that option's value.
enum CommandLineTokens {
    /// `arguments` with each negative numeric value joined to the long option before it. Tokens
    /// after `--` are left alone.
    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < arguments.count {
            let token = arguments[index]
            if token == "--" { result += arguments[index...]; break }
            if token.hasPrefix("--"), !token.contains("="), token.count > 2, index + 1 < arguments.count,
               looksLikeNegativeNumbers(arguments[index + 1]) {
                result.append(token + "=" + arguments[index + 1])
                index += 2
                continue
            }
            result.append(token)
            index += 1
        }
        return result
    }

    /// Whether `token` is a negative number or a list of numbers that starts with one:
    /// `-3`, `-0.5`, `-.5`, `-100,-100,300`, `-30:30`, `-10,0,0:0,10,0`, `-1e-3`.
    static func looksLikeNegativeNumbers(_ token: String) -> Bool {
        guard token.hasPrefix("-"), token.count > 1 else { return false }
        let rest = token.dropFirst()
        guard let first = rest.first, first.isNumber || (first == "." && rest.dropFirst().first?.isNumber == true) else { return false }
        return rest.allSatisfy { $0.isNumber || ".,:-+eE ".contains($0) }
    }
}

/// The one line an argument error prints: `portrait: error: MESSAGE (see `portrait CMD --help`)`.
enum ArgumentErrorLine {
    /// The first line of the parser's `message` (without its usage block), with a pointer to the
    /// help of the subcommand named in `arguments`.
    static func make(_ message: String, arguments: [String]) -> String {
        var line = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty } ?? "invalid arguments"
        for prefix in ["Error: ", "error: "] where line.hasPrefix(prefix) { line.removeFirst(prefix.count) }
        let names = Set(Portrait.commands.compactMap { $0.configuration.commandName })
        let command = arguments.first { names.contains($0) }.map { "portrait \($0)" } ?? "portrait"
        return "portrait: error: \(line) (see `\(command) --help`)"
    }
}

// Reads Themes/<name>.toml: optional `inherits = "<theme>"`, a [palette] of named colours, and [styles]
// mapping style keys to `{ fg, bg, modifiers }` (or just a colour). Bad entries become warnings, never crashes.
import AttuneTOML
import Foundation

public struct ThemeLoader: Sendable {
    /// Searched in order; the first `<name>.toml` found wins.
    public var searchDirectories: [URL]

    public init(searchDirectories: [URL]) { self.searchDirectories = searchDirectories }

    /// The user's themes, then the repository's or installation's Themes directory.
    public static func standardDirectories(environment: [String: String]) -> [URL] {
        var directories = [XDGPaths.configDirectory(environment: environment).appendingPathComponent("themes")]
        directories.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("Themes"))
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            // A build in .build/<triple>/<config>/attune finds the checkout's Themes a few levels up;
            // an installed bin/attune finds share/attune/Themes.
            var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            directories.append(directory.deletingLastPathComponent().appendingPathComponent("share/attune/Themes"))
            for _ in 0..<4 {
                directory = directory.deletingLastPathComponent()
                directories.append(directory.appendingPathComponent("Themes"))
            }
        }
        return directories
    }

    /// The theme called `name`, or the monochrome theme with a warning saying why.
    public func load(named name: String) -> (theme: Theme, warnings: [String]) {
        var warnings: [String] = []
        let theme = load(named: name, depth: 0, warnings: &warnings) ?? .monochrome
        return (theme, warnings)
    }

    private func load(named name: String, depth: Int, warnings: inout [String]) -> Theme? {
        if name == Theme.monochrome.name { return .monochrome }
        guard depth < 5 else {
            warnings.append("theme '\(name)': inherits too deeply (a cycle?); stopped")
            return nil
        }
        guard let url = searchDirectories.map({ $0.appendingPathComponent("\(name).toml") })
            .first(where: { FileManager.default.fileExists(atPath: $0.path) })
        else {
            warnings.append("theme '\(name)' not found in \(searchDirectories.map(\.path).joined(separator: ", ")); using monochrome")
            return nil
        }
        let table: TOMLTable
        do {
            table = try TOML.parse(contentsOf: url)
        } catch {
            warnings.append("theme '\(name)': \(error.localizedDescription); using monochrome")
            return nil
        }
        var base: Theme?
        if let parent = table["inherits"]?.stringValue {
            base = load(named: parent, depth: depth + 1, warnings: &warnings)
        }
        let (theme, problems) = Self.parse(table, name: name, base: base)
        warnings += problems.map { "theme '\(name)' (\(url.path)): \($0)" }
        return theme
    }

    /// A theme from its TOML table, drawn over `base`; returns the problems found.
    public static func parse(_ table: TOMLTable, name: String, base: Theme? = nil) -> (Theme, [String]) {
        var problems: [String] = []
        var theme = base ?? Theme(name: name, styles: [:])
        theme.name = name
        for key in table.keys where !["inherits", "palette", "styles"].contains(key) {
            problems.append("unknown key '\(key)' (expected inherits, palette, styles)")
        }
        var palette: [String: TerminalColor] = [:]
        for (key, value) in table["palette"]?.tableValue?.entries ?? [] {
            if let text = value.stringValue, let color = TerminalColor(name: text) {
                palette[key] = color
            } else {
                problems.append("palette '\(key)': expected \"#rrggbb\", an ANSI colour name or \"default\"")
            }
        }
        func color(_ value: TOMLValue?, _ context: String) -> TerminalColor? {
            guard let value else { return nil }
            if let text = value.stringValue, let color = palette[text] ?? TerminalColor(name: text) { return color }
            problems.append("\(context): unknown colour \(value.inlineText)")
            return nil
        }
        for (key, value) in flattened(table["styles"]?.tableValue ?? TOMLTable(), prefix: "") {
            guard let styleKey = StyleKey(rawValue: key) else {
                problems.append("unknown style key '\(key)'")
                continue
            }
            var style = TextStyle()
            if value.stringValue != nil {
                style.foreground = color(value, key)
            } else if let spec = value.tableValue {
                style.foreground = color(spec["fg"], "\(key).fg")
                style.background = color(spec["bg"], "\(key).bg")
                for entry in spec.keys where !["fg", "bg", "modifiers"].contains(entry) {
                    problems.append("\(key): unknown field '\(entry)' (expected fg, bg, modifiers)")
                }
                for modifier in spec["modifiers"]?.arrayValue ?? [] {
                    if let found = TextModifiers.names.first(where: { $0.0 == modifier.stringValue }) {
                        style.modifiers.insert(found.1)
                    } else {
                        problems.append("\(key): unknown modifier \(modifier.stringValue ?? modifier.typeName) (expected \(TextModifiers.names.map(\.0).joined(separator: ", ")))")
                    }
                }
            } else {
                problems.append("\(key): expected a colour or { fg, bg, modifiers }")
                continue
            }
            theme.styles[styleKey] = style
        }
        return (theme, problems)
    }

    /// `ui.panel = { border = { fg = … } }` written with unquoted dotted keys nests tables; a table holding any
    /// of fg/bg/modifiers is a style, anything else is a scope to descend into.
    private static func flattened(_ table: TOMLTable, prefix: String) -> [(String, TOMLValue)] {
        table.entries.flatMap { key, value -> [(String, TOMLValue)] in
            let name = prefix.isEmpty ? key : "\(prefix).\(key)"
            if let inner = value.tableValue, !inner.keys.contains(where: { ["fg", "bg", "modifiers"].contains($0) }) {
                return flattened(inner, prefix: name)
            }
            return [(name, value)]
        }
    }
}

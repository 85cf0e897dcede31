// config.toml under $XDG_CONFIG_HOME/attune: the workbench's defaults. Unknown keys and bad values become
// warnings shown at start-up, never a crash.
//
//     theme = "dark"                  # a file in Themes/ or $XDG_CONFIG_HOME/attune/themes
//     graphics = "auto"               # auto, sixel, halfblocks or none
//     cell_size = [10, 20]            # pixel size of a cell when the terminal does not say
//     directories = ["~/Pictures"]    # browsed besides Samples/ and the command line's directories
//     model = "~/models/sd-v1-5"      # default checkpoint
//     live = true                     # parameter changes re-run the edit
//     autosave_seconds = 2            # quiet time before the state is autosaved
import AttuneTOML
import Foundation

public struct WorkbenchSettings: Equatable, Sendable {
    public var theme = "dark"
    /// nil: detect.
    public var graphics: GraphicsMode?
    public var cellSize: CellSize?
    public var directories: [URL] = []
    public var model: URL?
    public var live = true
    public var autosaveSeconds = 2.0

    public init() {}

    /// Reads the file if it exists; a missing file gives the defaults.
    public static func load(from url: URL) -> (WorkbenchSettings, [String]) {
        guard FileManager.default.fileExists(atPath: url.path) else { return (WorkbenchSettings(), []) }
        do {
            return parse(try TOML.parse(contentsOf: url), baseDirectory: url.deletingLastPathComponent())
        } catch {
            return (WorkbenchSettings(), ["settings: \(error.localizedDescription); using the defaults"])
        }
    }

    public static func parse(_ table: TOMLTable, baseDirectory: URL) -> (WorkbenchSettings, [String]) {
        var settings = WorkbenchSettings()
        var warnings: [String] = []
        func bad(_ key: String, _ expected: String, _ value: TOMLValue) {
            warnings.append("settings: \(key) = \(value.inlineText) is not valid (expected \(expected))")
        }
        func path(_ text: String) -> URL {
            let expanded = NSString(string: text).expandingTildeInPath
            return expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : baseDirectory.appendingPathComponent(expanded)
        }
        for (key, value) in table.entries {
            switch key {
            case "theme":
                if let name = value.stringValue { settings.theme = name } else { bad(key, "a theme name", value) }
            case "graphics":
                if value.stringValue == "auto" {
                    settings.graphics = nil
                } else if let mode = value.stringValue.flatMap(GraphicsMode.init(rawValue:)) {
                    settings.graphics = mode
                } else {
                    bad(key, "auto, sixel, halfblocks or none", value)
                }
            case "cell_size":
                if let pair = value.arrayValue?.compactMap(\.integerValue), pair.count == 2, pair.allSatisfy({ (1...200).contains($0) }) {
                    settings.cellSize = CellSize(width: Int(pair[0]), height: Int(pair[1]))
                } else {
                    bad(key, "[width, height] in pixels", value)
                }
            case "directories":
                if let paths = value.arrayValue?.compactMap(\.stringValue), paths.count == value.arrayValue?.count {
                    settings.directories = paths.map(path)
                } else {
                    bad(key, "a list of paths", value)
                }
            case "model":
                if let text = value.stringValue { settings.model = path(text) } else { bad(key, "a path", value) }
            case "live":
                if let flag = value.boolValue { settings.live = flag } else { bad(key, "true or false", value) }
            case "autosave_seconds":
                if let seconds = value.doubleValue, seconds >= 0 { settings.autosaveSeconds = seconds } else { bad(key, "seconds ≥ 0", value) }
            default:
                warnings.append("settings: unknown key '\(key)' (known: theme, graphics, cell_size, directories, model, live, autosave_seconds)")
            }
        }
        return (settings, warnings)
    }
}

// Where the workbench keeps its files (XDG Base Directory spec): settings and keymap under
// $XDG_CONFIG_HOME/attune (default ~/.config/attune), autosave and recent files under $XDG_STATE_HOME/attune
// (default ~/.local/state/attune).
import Foundation

public enum XDGPaths {
    public static func configDirectory(environment: [String: String]) -> URL {
        base("XDG_CONFIG_HOME", fallback: ".config", environment).appendingPathComponent("attune")
    }

    public static func stateDirectory(environment: [String: String]) -> URL {
        base("XDG_STATE_HOME", fallback: ".local/state", environment).appendingPathComponent("attune")
    }

    /// The spec says relative values are invalid and must be ignored.
    private static func base(_ variable: String, fallback: String, _ environment: [String: String]) -> URL {
        if let value = environment[variable], value.hasPrefix("/") { return URL(fileURLWithPath: value) }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(fallback)
    }
}

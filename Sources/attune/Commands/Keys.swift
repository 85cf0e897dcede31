// `attune keys`: the workbench's key bindings as markdown tables (the README's key reference), or as a
// keymap.toml to start a remapping from. Both include the user's own keymap.toml, if there is one.
import ArgumentParser
import AttuneTOML
import AttuneTUI
import Foundation

struct Keys: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the workbench's keys: markdown tables, or --toml for a keymap.toml.",
        discussion: "Remapped keys from $XDG_CONFIG_HOME/attune/keymap.toml are shown as they are in effect.")

    @Flag(help: "Print a keymap.toml with every command and its keys.")
    var toml = false

    @Flag(help: "Ignore the user's keymap.toml: print the defaults.")
    var defaults = false

    func run() throws {
        let compositor = Compositor()
        var keymap = Keymap()
        let file = XDGPaths.configDirectory(environment: ProcessInfo.processInfo.environment).appendingPathComponent("keymap.toml")
        if !defaults, FileManager.default.fileExists(atPath: file.path) {
            let (parsed, warnings) = Keymap.parse(try TOML.parse(contentsOf: file), commands: compositor.commandNames)
            for warning in warnings { FileHandle.standardError.write(Data("attune: \(warning)\n".utf8)) }
            keymap = parsed
        }
        print(toml ? compositor.keymapTOML(keymap: keymap) : compositor.keyTablesMarkdown(keymap: keymap), terminator: "")
    }
}

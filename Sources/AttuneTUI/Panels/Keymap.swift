// User remapping of key bindings from $XDG_CONFIG_HOME/attune/keymap.toml:
//
//     [mask]
//     brush-grow = ["]", "+"]
//     undo = "ctrl-z"
//
// A table per scope (global, field, source, prompts, parameters, preview, inspector, mask), a command name
// per key, one key name or a list. Unknown scopes, commands and key names become warnings.
import AttuneTOML

public struct Keymap: Sendable {
    /// scope → command → keys replacing the defaults.
    public var overrides: [String: [String: [Key]]] = [:]

    public init(overrides: [String: [String: [Key]]] = [:]) { self.overrides = overrides }

    public func keys(for binding: KeyBinding, scope: String) -> [Key] {
        overrides[scope]?[binding.command] ?? binding.keys
    }

    /// The binding `key` triggers in `scope`; remapped keys win over other commands' defaults.
    public func binding(for key: Key, in bindings: [KeyBinding], scope: String) -> KeyBinding? {
        let remapped = overrides[scope] ?? [:]
        if let match = bindings.first(where: { remapped[$0.command]?.contains(key) == true }) { return match }
        return bindings.first { remapped[$0.command] == nil && $0.keys.contains(key) }
    }

    /// Reads a keymap table; `commands` lists each scope's command names.
    public static func parse(_ table: TOMLTable, commands: [String: [String]]) -> (Keymap, [String]) {
        var keymap = Keymap()
        var warnings: [String] = []
        for (scope, value) in table.entries {
            guard let known = commands[scope] else {
                warnings.append("keymap: unknown table [\(scope)] (known: \(commands.keys.sorted().joined(separator: ", ")))")
                continue
            }
            guard let entries = value.tableValue else {
                warnings.append("keymap: '\(scope)' should be a table of command = keys")
                continue
            }
            for (command, spec) in entries.entries {
                guard known.contains(command) else {
                    warnings.append("keymap [\(scope)]: unknown command '\(command)' (known: \(known.joined(separator: ", ")))")
                    continue
                }
                let names = spec.arrayValue?.compactMap(\.stringValue) ?? spec.stringValue.map { [$0] } ?? []
                let parsed = names.compactMap(Key.init(name:))
                for name in names where Key(name: name) == nil {
                    warnings.append("keymap [\(scope)] \(command): unknown key '\(name)'")
                }
                if parsed.isEmpty {
                    warnings.append("keymap [\(scope)] \(command): no usable keys; keeping the defaults")
                } else {
                    keymap.overrides[scope, default: [:]][command] = parsed
                }
            }
        }
        return (keymap, warnings)
    }
}

// The key binding tables written out for people: markdown tables (the README's key reference is made with
// `attune keys`) and a keymap.toml holding every command with its keys, to copy and edit.
import AttuneTOML

extension Compositor {
    /// One markdown table per binding scope: keys by their keymap names, the command, what it does.
    public func keyTablesMarkdown(keymap: Keymap = Keymap()) -> String {
        var out: [String] = []
        for section in sections {
            out.append("#### \(section.title) — `[\(section.scope)]`")
            out.append("")
            out.append("| Keys | Command | What it does |")
            out.append("|---|---|---|")
            for binding in section.bindings {
                let keys = keymap.keys(for: binding, scope: section.scope).map { "`\(Self.escaped($0.name))`" }.joined(separator: " ")
                out.append("| \(keys) | \(binding.command) | \(Self.escaped(binding.description)) |")
            }
            out.append("")
        }
        return out.joined(separator: "\n")
    }

    /// keymap.toml with a table per scope and every command set to its keys.
    public func keymapTOML(keymap: Keymap = Keymap()) -> String {
        var file = TOMLTable()
        for section in sections {
            var table = TOMLTable()
            for binding in section.bindings {
                table[binding.command] = .array(keymap.keys(for: binding, scope: section.scope).map { .string($0.name) })
            }
            file[section.scope] = .table(table)
        }
        return "# Attune workbench keys: one table per panel or mode, command = [key names]. Copy to\n"
            + "# $XDG_CONFIG_HOME/attune/keymap.toml and keep only the commands you change.\n\n" + TOML.serialize(file)
    }

    /// A pipe would end the markdown table cell.
    private static func escaped(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}

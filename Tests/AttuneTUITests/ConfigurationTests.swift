// Themes, keymaps and settings files: the shipped themes load cleanly, remaps take effect in keys and help,
// and bad files give warnings instead of crashes.
@testable import AttuneTUI
import AttuneTOML
import AttuneTestSupport
import Foundation
import Testing

@Suite struct ThemeTests {
    /// The repository's Themes directory (Tests/Fixtures/../../Themes).
    private let themes = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Themes")

    @Test(arguments: ["dark", "light", "high-contrast"])
    func shippedThemesLoadWithoutWarningsAndSetEveryKey(name: String) {
        let (theme, warnings) = ThemeLoader(searchDirectories: [themes]).load(named: name)
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(theme.name == name)
        let missing = StyleKey.allCases.filter { $0 != .ui && theme.styles[$0] == nil && $0.parent == nil }
        #expect(missing.isEmpty)
        #expect(theme.style(.ui).foreground != nil && theme.style(.ui).background != nil)
        // Keys inherit the base colours: a border has the panel background.
        #expect(theme.style(.panelBorderActive).background == theme.style(.ui).background)
        #expect(theme.style(.maskOverlay).foreground != nil)
    }

    @Test func eightColourTerminalsKeepTheDarkThemeReadable() {
        // TERM=xterm has 8 colours: the dark theme's dim grey borders and text must not round to black on its
        // black ground (they did: one bit per channel at half intensity).
        let (theme, _) = ThemeLoader(searchDirectories: [themes]).load(named: "dark")
        func basic(_ key: StyleKey, foreground: Bool) -> Int32? {
            guard case .rgb(let rgb)? = foreground ? theme.style(key).foreground : theme.style(key).background else { return nil }
            return CursesColors.basicColor(rgb, foreground: foreground)
        }
        #expect(basic(.ui, foreground: false) == 0 && basic(.ui, foreground: true) == 7)
        #expect(basic(.panelBorder, foreground: true) == 7 && basic(.textDim, foreground: true) == 7)
        #expect(basic(.panelTitleActive, foreground: true) == 0, "dark text on a coloured title stays dark")
        #expect(basic(.progressFill, foreground: true) == 2 && basic(.textError, foreground: true) == 1)
        #expect(basic(.selectionActive, foreground: false) == 3)
        // A light ground stays light.
        #expect(CursesColors.basicColor(RGB(240, 240, 235), foreground: false) == 7)
    }

    @Test func styleKeysFallBackToTheirParents() {
        #expect(StyleKey.panelBorderActive.parent == .panelBorder)
        #expect(StyleKey.panelBorder.parent == .panel)
        #expect(StyleKey.statuslineError.parent == .statusline)
        #expect(StyleKey.ui.parent == nil)
        let theme = Theme(name: "t", styles: [.ui: TextStyle(foreground: .ansi(7)), .panel: TextStyle(modifiers: .bold)])
        #expect(theme.style(.panelBorderActive) == TextStyle(foreground: .ansi(7), modifiers: .bold))
    }

    @Test func badEntriesBecomeWarnings() throws {
        let table = try TOML.parse(
            """
            colours = 1
            [palette]
            good = "#102030"
            bad = "#12"
            [styles]
            "ui.text" = 3
            "ui.nothing" = { fg = "red" }
            "ui.statusline" = { fg = "red", modifiers = ["blink"], font = "x" }
            "ui.popup" = { fg = "good", bg = "nope" }
            [styles.ui.panel]
            border = { fg = "bright-blue" }
            """)
        let (theme, problems) = ThemeLoader.parse(table, name: "broken")
        #expect(problems.count == 7, "\(problems)")
        #expect(problems.contains("ui.popup.bg: unknown colour \"nope\""))
        #expect(problems.contains("unknown style key 'ui.nothing'"))
        #expect(problems.contains { $0.contains("unknown modifier blink") })
        #expect(theme.style(.popup).foreground == .rgb(RGB(0x10, 0x20, 0x30)))
        #expect(theme.styles[.panelBorder]?.foreground == .ansi(12))
    }

    @Test func missingAndBrokenThemesFallBackToMonochrome() throws {
        let directory = Fixtures.temporaryDirectory("themes")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("[styles\n".utf8).write(to: directory.appendingPathComponent("broken.toml"))
        try Data("inherits = \"loop\"\n".utf8).write(to: directory.appendingPathComponent("loop.toml"))
        let loader = ThemeLoader(searchDirectories: [directory])
        let (missing, missingWarnings) = loader.load(named: "absent")
        #expect(missing == .monochrome && missingWarnings.first?.contains("theme 'absent' not found") == true)
        let (broken, brokenWarnings) = loader.load(named: "broken")
        #expect(broken == .monochrome && brokenWarnings.first?.contains("broken.toml:1:") == true)
        let (_, loopWarnings) = loader.load(named: "loop")
        #expect(loopWarnings.contains { $0.contains("inherits too deeply") })
    }

    @Test func inheritsDrawsOverTheBase() throws {
        let directory = Fixtures.temporaryDirectory("themes")
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("[styles]\n\"ui.statusline\" = { fg = \"#ff0000\" }\n".utf8).write(to: directory.appendingPathComponent("mine.toml"))
        try FileManager.default.copyItem(at: themes.appendingPathComponent("dark.toml"), to: directory.appendingPathComponent("dark.toml"))
        try Data("inherits = \"dark\"\n[styles]\n\"ui.statusline\" = { fg = \"#ff0000\" }\n".utf8).write(to: directory.appendingPathComponent("mine.toml"))
        let (theme, warnings) = ThemeLoader(searchDirectories: [directory]).load(named: "mine")
        #expect(warnings.isEmpty)
        #expect(theme.style(.statusline).foreground == .rgb(RGB(255, 0, 0)))
        #expect(theme.style(.hintKey) == ThemeLoader(searchDirectories: [themes]).load(named: "dark").theme.style(.hintKey))
    }
}

@Suite struct KeymapTests {
    private let commands = Compositor().commandNames

    @Test func theWrittenKeymapReadsBackAsTheDefaultsAndTheTablesListEveryCommand() throws {
        let compositor = Compositor()
        let (keymap, warnings) = Keymap.parse(try TOML.parse(compositor.keymapTOML()), commands: commands)
        #expect(warnings.isEmpty, "\(warnings)")
        for section in compositor.sections {
            for binding in section.bindings { #expect(keymap.keys(for: binding, scope: section.scope) == binding.keys, "\(section.scope) \(binding.command)") }
        }
        let markdown = compositor.keyTablesMarkdown()
        #expect(markdown.contains("| `ctrl-r` `f5` | run | run the edit |"))
        #expect(markdown.contains("| `u` | subject | MCA-Ctrl's subject picture (again: none) |"))
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| `") }
        #expect(rows.count == compositor.sections.map(\.bindings.count).reduce(0, +))
        // A remap shows in the tables.
        let remapped = Keymap(overrides: ["global": ["run": [.function(9)]]])
        #expect(compositor.keyTablesMarkdown(keymap: remapped).contains("| `f9` | run | run the edit |"))
    }

    @Test func remappedKeysTriggerTheirCommandAndShowInHelp() throws {
        let (keymap, warnings) = Keymap.parse(
            try TOML.parse("[mask]\nbrush-grow = [\"+\", \"]\"]\nfill = \"F\"\n[global]\nhelp = \"f2\""), commands: commands)
        #expect(warnings.isEmpty)
        var script = KeyScript(keymap: keymap)
        script.press("f2")
        #expect(script.state.overlay == .help(scroll: 0))
        script.press("esc", "6", "+")
        #expect(script.state.mask.brushRadius == 5)
        // "F" now fills instead of feathering (its default).
        script.press("F")
        #expect(script.state.mask.grid.coverage == 1)
        let help = Overlays.helpLines(sections: script.compositor.sections, keymap: keymap)
        #expect(help.contains { $0.contains("+ ]") && $0.contains("bigger brush") })
        #expect(help.contains { $0.hasPrefix("  F2 ") && $0.contains("this help") })
        script.press("?")
        #expect(script.state.overlay == nil)  // "?" is no longer bound to help
    }

    @Test func badKeymapEntriesBecomeWarnings() throws {
        let (keymap, warnings) = Keymap.parse(
            try TOML.parse("[maskk]\nfill = \"f\"\n[mask]\nfil = \"f\"\nundo = \"hyper-z\"\nclear = 3\n[global]\nquit = [\"ctrl-q\", \"bogus\"]\nsources = 1"),
            commands: commands)
        #expect(warnings.count == 7, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("keymap: unknown table [maskk]") })
        #expect(warnings.contains { $0.hasPrefix("keymap [mask]: unknown command 'fil'") })
        #expect(warnings.contains("keymap [mask] undo: unknown key 'hyper-z'"))
        #expect(warnings.contains("keymap [mask] undo: no usable keys; keeping the defaults"))
        #expect(keymap.overrides["global"]?["quit"] == [.control("q")])
        #expect(keymap.overrides["mask"]?["undo"] == nil)
    }

    @Test func keyNamesRoundTrip() {
        for name in ["a", "A", "?", "space", "enter", "tab", "shift-tab", "esc", "backspace", "delete", "up", "shift-left", "pageup", "home", "ctrl-s", "f5", "[", "{"] {
            #expect(Key(name: name)?.name == name, "\(name)")
        }
        #expect(Key(name: "ctrl-S") == .control("s"))
        #expect(Key(name: "f25") == nil && Key(name: "ctrl-1") == nil && Key(name: "") == nil)
    }
}

@Suite struct SettingsTests {
    @Test func readsEveryKey() throws {
        let (settings, warnings) = WorkbenchSettings.parse(
            try TOML.parse(
                """
                theme = "light"
                graphics = "halfblocks"
                cell_size = [9, 19]
                directories = ["pics", "/abs"]
                model = "~/m"
                live = false
                autosave_seconds = 0.5
                """), baseDirectory: URL(fileURLWithPath: "/cfg"))
        #expect(warnings.isEmpty)
        #expect(settings.theme == "light" && settings.graphics == .halfblocks && settings.cellSize == CellSize(width: 9, height: 19))
        #expect(settings.directories.map(\.path) == ["/cfg/pics", "/abs"])
        #expect(settings.model?.path.hasSuffix("/m") == true && !settings.live && settings.autosaveSeconds == 0.5)
    }

    @Test func badValuesAndUnknownKeysWarnAndKeepDefaults() throws {
        let (settings, warnings) = WorkbenchSettings.parse(
            try TOML.parse("graphics = \"kitty\"\ncell_size = [0, 20]\nlive = \"yes\"\nzoom = 2"), baseDirectory: URL(fileURLWithPath: "/"))
        #expect(settings == WorkbenchSettings())
        #expect(warnings.count == 4, "\(warnings)")
        #expect(warnings.contains("settings: graphics = \"kitty\" is not valid (expected auto, sixel, halfblocks or none)"))
        let (defaults, none) = WorkbenchSettings.load(from: URL(fileURLWithPath: "/nonexistent/config.toml"))
        #expect(defaults == WorkbenchSettings() && none.isEmpty)
    }

    @Test func xdgDirectories() {
        #expect(XDGPaths.configDirectory(environment: ["XDG_CONFIG_HOME": "/x", "HOME": "/h"]).path == "/x/attune")
        #expect(XDGPaths.configDirectory(environment: ["XDG_CONFIG_HOME": "relative", "HOME": "/h"]).path == "/h/.config/attune")
        #expect(XDGPaths.stateDirectory(environment: ["HOME": "/h"]).path == "/h/.local/state/attune")
    }
}

/// A new session starts at the picture size of the model it will run on: --model, else the settings' model,
/// else the default (embedded) model.
@Suite struct InitialStateTests {
    @Test func newSessionsTakeTheRunningModelsPictureSize() {
        var settings = WorkbenchSettings()
        let embedded = EmbeddedModelFixture.url, tiny = TinyModel.diffusersFolder
        var state = WorkbenchApp.initialState(options: WorkbenchOptions(defaultModel: embedded), settings: settings)
        #expect(state.settings.width == 128 && state.settings.height == 128 && state.mask.grid.width == 16)
        settings.model = tiny
        state = WorkbenchApp.initialState(options: WorkbenchOptions(defaultModel: embedded), settings: settings)
        #expect(state.settings.width == 64 && state.configuredModel == tiny)
        state = WorkbenchApp.initialState(options: WorkbenchOptions(model: embedded, defaultModel: tiny), settings: settings)
        #expect(state.settings.width == 128 && state.commandLineModel == embedded)
        state = WorkbenchApp.initialState(options: WorkbenchOptions(), settings: WorkbenchSettings())
        #expect(state.settings.width == 512, "no model to read: SD 1.x's size")
    }
}

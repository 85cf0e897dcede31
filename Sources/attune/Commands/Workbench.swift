// `attune` with no arguments (or `attune workbench`): the interactive terminal workbench.
import ArgumentParser
import AttuneModels
import AttuneTUI
import Foundation

struct Workbench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The interactive workbench: edit by hand, tune S and L live, inspect attention maps.",
        discussion: """
            Settings: $XDG_CONFIG_HOME/attune/config.toml and keymap.toml (default ~/.config/attune).
            Autosave and recent files: $XDG_STATE_HOME/attune (default ~/.local/state/attune).
            Press ? in the workbench for every key.
            """)

    @Option(help: "Checkpoint to edit with (file or directory).")
    var model: String?

    @Option(help: "Colour theme: dark, light, high-contrast, or a file name in $XDG_CONFIG_HOME/attune/themes.")
    var theme: String?

    @Option(help: "How pictures are drawn: sixel, halfblocks or none (default: ask the terminal).")
    var graphics: GraphicsMode?

    @Option(help: "A TAESD decoder (taesd_decoder.safetensors or a diffusers AutoencoderTiny) for sharper live previews.")
    var taesd: String?

    @Option(help: "Session (edit record TOML) to open.")
    var session: String?

    @Argument(help: "Directories of pictures to offer besides Samples/.")
    var directories: [String] = []

    func validate() throws {
        for directory in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("'\(directory)' is not a directory")
            }
        }
        if let session, !FileManager.default.fileExists(atPath: session) {
            throw ValidationError("no session file at '\(session)'")
        }
    }

    func run() throws {
        func url(_ path: String) -> URL { URL(fileURLWithPath: NSString(string: path).expandingTildeInPath).standardizedFileURL }
        let embedded = EmbeddedModel.url
        let options = WorkbenchOptions(
            model: model.map(url), theme: theme, graphics: graphics, session: session.map(url), directories: directories.map(url),
            defaultModel: embedded)
        let tokenizer = try CLIPTokenizer.bundled()
        // Tokens as the attention maps index them: the start token first.
        let tokenize: @Sendable (String) -> [String] = { text in ["<start>"] + tokenizer.encode(text).tokens }
        let engine = EditingEngine(defaultModel: embedded, previewDecoder: taesd.map(url)) { url in try ModelOptions.load(path: url.path) }
        try WorkbenchApp.run(options: options, services: WorkbenchServices(
            engine: engine, tokenize: tokenize, pictures: .png, attuneVersion: AttuneVersion.current))
    }
}

extension GraphicsMode: ExpressibleByArgument {}

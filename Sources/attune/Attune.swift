// The attune command: the workbench by default, subcommands for headless work.
import ArgumentParser
import AttuneModels
import AttuneTensor

@main
struct Attune: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attune",
        abstract: "A terminal workbench for text-guided image editing with Stable Diffusion 1.x by attention control.",
        subcommands: [Workbench.self, Generate.self, Invert.self, Reconstruct.self, Edit.self, CannyEdges.self, Bench.self, Keys.self],
        defaultSubcommand: Workbench.self)

    static func main() {
        OpenBLASCoreType.reexecIfNeeded()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}

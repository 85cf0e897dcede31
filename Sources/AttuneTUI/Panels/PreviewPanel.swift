// Panel 4, Preview: the source, the running step's latent, the result, and before/after as side-by-side or a
// wipe whose split moves with ←/→.
import Foundation

public struct PreviewPanel: Panel {
    public let id = PanelID.preview

    public var bindings: [KeyBinding] {
        [
            KeyBinding("source", keys("s"), "show the source", hint: true, .setPreviewMode(.source)),
            KeyBinding("latent", keys("t"), "show the running step's latent", hint: true, .setPreviewMode(.latent)),
            KeyBinding("result", keys("r"), "show the result", hint: true, .setPreviewMode(.result)),
            KeyBinding("compare", keys("c"), "before|after side by side", hint: true, .setPreviewMode(.compare)),
            KeyBinding("wipe", keys("w"), "before/after wipe", hint: true, .setPreviewMode(.wipe)),
            KeyBinding("wipe-left", keys("left", "h"), "move the wipe left", .moveWipe(-0.05)),
            KeyBinding("wipe-right", keys("right", "l"), "move the wipe right", .moveWipe(0.05)),
        ]
    }

    public func handleMouse(_ event: MouseEvent, in rect: Rect, state: AppState, context: WorkbenchContext) -> [Action] {
        guard state.preview.mode == .wipe, event.kind == .press || event.kind == .drag,
            let shown = shownPicture(state), let fit = pictureFit((shown.width, shown.height), in: pictureArea(rect), context: context)
        else { return [] }
        let fraction = (Double(event.x - fit.cells.x) + 0.5) / Double(max(fit.cells.width, 1))
        return [.moveWipe(min(max(fraction, 0), 1) - state.preview.wipe)]
    }

    public func render(_ state: AppState, in rect: Rect, into surface: inout Surface, context: WorkbenchContext) {
        let inner = frame(state, rect, &surface, context)
        guard !inner.isEmpty else { return }
        var x = inner.x
        for mode in PreviewMode.allCases {
            let style = context.style(mode == state.preview.mode ? .tokenSelected : .textDim)
            x += surface.put(mode.label, x: x, y: inner.y, style: style, limit: inner.maxX - x) + 1
        }
        let shown = shownPicture(state)
        place(
            shown.map { ($0.width, $0.height) }, key: shown?.key ?? "", caption: caption(state, shown),
            empty: emptyMessage(state), in: pictureArea(rect), into: &surface, context: context
        ) { width, height in (shown?.make(width, height) ?? Picture(width: 1, height: 1, color: RGB(0, 0, 0))).resized(width: width, height: height) }
    }

    private func pictureArea(_ rect: Rect) -> Rect { rect.inset(1).splitTop(1).bottom }

    /// The picture a mode shows: its full size, identity, and how to build it at a given size.
    private struct Shown {
        let width: Int, height: Int, key: String
        let make: (Int, Int) -> Picture
    }

    private func shownPicture(_ state: AppState) -> Shown? {
        let source = state.sourcePicture, result = state.job.result, chosen = state.browser.chosen?.path ?? ""
        switch state.preview.mode {
        case .source:
            return source.map { p in Shown(width: p.width, height: p.height, key: "preview:source:\(chosen)") { p.resized(width: $0, height: $1) } }
        case .latent:
            return state.job.latent.map { p in
                Shown(width: p.width, height: p.height, key: "preview:latent:\(state.job.runID):\(state.job.latentRevision)") { p.resized(width: $0, height: $1) }
            }
        case .result:
            return result.map { p in Shown(width: p.width, height: p.height, key: "preview:result:\(state.job.runID)") { p.resized(width: $0, height: $1) } }
        case .compare:
            guard let source, let result else { return nil }
            let width = source.width + 2 + max(1, result.width * source.height / result.height)
            return Shown(width: width, height: source.height, key: "preview:compare:\(chosen):\(state.job.runID)") { _, height in
                source.resized(width: max(1, source.width * height / source.height), height: height).sideBySide(result)
            }
        case .wipe:
            guard let source, let result else { return nil }
            let wipe = state.preview.wipe
            return Shown(width: source.width, height: source.height, key: "preview:wipe:\(chosen):\(state.job.runID):\(wipe)") {
                source.resized(width: $0, height: $1).wipe(result, at: wipe)
            }
        }
    }

    private func caption(_ state: AppState, _ shown: Shown?) -> String {
        let size = shown.map { "\($0.width)×\($0.height)" } ?? ""
        switch state.preview.mode {
        case .latent: return "latent, step \(state.job.step)/\(state.job.total)  \(size)"
        case .wipe: return "before ◀ \(Int(state.preview.wipe * 100))% ▶ after  \(size)"
        case .compare: return "before | after  \(size)"
        default: return "\(state.preview.mode.label)  \(size)"
        }
    }

    private func emptyMessage(_ state: AppState) -> String {
        switch state.preview.mode {
        case .source: "no source picture: pick one in Source (1)"
        case .latent: "no latent yet: it shows while a run goes (C-r runs)"
        case .result, .compare, .wipe: state.sourcePicture == nil && state.preview.mode != .result ? "needs a source picture and a result" : "no result yet (C-r runs the edit)"
        }
    }
}

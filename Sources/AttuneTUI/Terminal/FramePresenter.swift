// One frame on the terminal: the text through curses, then the pictures that need drawing, out of band
// (ImageLayer decides which). Kept apart from the event loop so that tests can drive it with a model terminal.

/// What a frame needs of the terminal: curses' text update, a full repaint on request, and raw bytes after it.
protocol FrameScreen: AnyObject {
    /// The next `draw` rewrites every cell (pictures drawn out of band are wiped by it).
    func invalidate()
    func draw(_ surface: Surface)
    func writeRaw(_ bytes: [UInt8])
}

extension CursesScreen: FrameScreen {}

final class FramePresenter {
    private let images: ImageLayer
    /// The surface of the last frame: what curses believes is on screen.
    private var previous: Surface?
    private var overlay: Rect?
    /// The screen was invalidated since the last frame (the start, a resize): everything is drawn anew.
    private var repaintAll = true

    init(images: ImageLayer) { self.images = images }

    /// After a resize nothing drawn before is where it was; the caller invalidates the screen.
    func forget() {
        images.forget()
        previous = nil
        repaintAll = true
    }

    /// An encoding failure since the last call, for the status line.
    func takeError() -> String? { images.takeError() }

    func present(_ frame: (surface: Surface, overlay: Rect?), on screen: FrameScreen) {
        // A popup that opens, moves or closes repaints the whole screen: pixels drawn out of band under it are wiped
        // whatever the image layer believes is on screen. Against a model terminal the image layer's own repaint
        // decision suffices (FramePresenterTests); a real tmux once showed a picture through the help under load,
        // and a popup's frame is a cheap place to be sure.
        let overlayChanged = frame.overlay != overlay
        overlay = frame.overlay
        if overlayChanged { screen.invalidate() }
        screen.draw(frame.surface)
        var plan = images.plan(frame.surface.images, surface: frame.surface, previous: previous, overlay: frame.overlay,
                               repainted: repaintAll || overlayChanged)
        if plan.needsRepaint {
            screen.invalidate()
            screen.draw(frame.surface)
            plan = images.plan(frame.surface.images, surface: frame.surface, previous: nil, overlay: frame.overlay, repainted: true)
        }
        screen.writeRaw(plan.bytes)
        previous = frame.surface
        repaintAll = false
    }
}

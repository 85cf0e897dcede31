// The picture the attention inspector and the mask editor draw over: the source picture, or a plain grey
// canvas of the edit's size when none is chosen (so masks can be drawn before picking a picture).

extension AppState {
    var canvasSize: (width: Int, height: Int) {
        sourcePicture.map { ($0.width, $0.height) } ?? (settings.width, settings.height)
    }

    /// Identifies the canvas in picture keys: blank until the chosen picture has loaded (so pictures drawn
    /// over it are made again once it is in).
    var canvasKey: String {
        if sourcePicture != nil, let path = browser.chosen?.path { return path }
        return "blank:\(settings.width)x\(settings.height)"
    }

    func canvas(width: Int, height: Int) -> Picture {
        sourcePicture?.resized(width: width, height: height) ?? Picture(width: width, height: height, color: RGB(64, 64, 64))
    }
}

/// Maps a mouse cell inside a drawn picture to a fraction of the picture (0..<1 on both axes), or nil outside.
func pictureFraction(_ event: MouseEvent, in fit: ImageFit) -> (x: Double, y: Double)? {
    guard fit.cells.contains(x: event.x, y: event.y) else { return nil }
    return ((Double(event.x - fit.cells.x) + 0.5) / Double(fit.cells.width), (Double(event.y - fit.cells.y) + 0.5) / Double(fit.cells.height))
}

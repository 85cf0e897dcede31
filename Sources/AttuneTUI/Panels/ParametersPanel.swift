// Panel 3, Method & parameters: the method, then S and L as sliders bounded by the step count and the 16
// transformer blocks, steps, guidance, seed, mask threshold and the method's own values.
import Foundation

public struct ParametersPanel: Panel {
    public let id = PanelID.parameters

    public var bindings: [KeyBinding] {
        [
            KeyBinding("up", keys("up", "k"), "previous parameter", .moveParameter(-1)),
            KeyBinding("down", keys("down", "j"), "next parameter", .moveParameter(1)),
            KeyBinding("decrease", keys("left", "h"), "decrease (S, L: one step)", hint: true, .adjustParameter(-1, coarse: false)),
            KeyBinding("increase", keys("right", "l"), "increase", hint: true, .adjustParameter(1, coarse: false)),
            KeyBinding("decrease-more", keys("shift-left", "H"), "decrease in big steps", .adjustParameter(-1, coarse: true)),
            KeyBinding("increase-more", keys("shift-right", "L"), "increase in big steps", .adjustParameter(1, coarse: true)),
            KeyBinding("type-value", keys("enter", "="), "type a value", hint: true, .beginNumericEntry),
            KeyBinding("reset", keys("backspace", "delete"), "back to the default", .resetParameter),
            KeyBinding("next-method", keys("m"), "next method", hint: true, .selectParameter(0), .adjustParameter(1, coarse: false)),
            KeyBinding("random-seed", keys("r"), "random seed") { _, _ in [.setSeed(UInt64.random(in: 0...UInt64(UInt32.max)))] },
            KeyBinding("live", keys("a"), "live re-run on/off", .toggleLive),
        ]
    }

    public func handleMouse(_ event: MouseEvent, in rect: Rect, state: AppState, context: WorkbenchContext) -> [Action] {
        switch event.kind {
        case .press:
            let row = event.y - rect.y - 1
            return state.parameterRows.indices.contains(row) ? [.selectParameter(row)] : []
        case .scrollUp: return [.adjustParameter(1, coarse: false)]
        case .scrollDown: return [.adjustParameter(-1, coarse: false)]
        default: return []
        }
    }

    public func render(_ state: AppState, in rect: Rect, into surface: inout Surface, context: WorkbenchContext) {
        let inner = frame(state, rect, &surface, context, detail: state.settings.method.displayName)
        guard !inner.isEmpty else { return }
        let labelWidth = 16
        // The whole record: defaults such as MCA-Ctrl's variant depend on the chosen source picture.
        let record = state.record
        for (i, row) in state.parameterRows.enumerated() where i < inner.height {
            let y = inner.y + i
            let selected = i == state.parameterRow
            let labelStyle = selected ? context.style(state.focus == id ? .selectionActive : .selection) : context.style(.text)
            surface.put(row.label.padding(toLength: labelWidth, withPad: " ", startingAt: 0), x: inner.x, y: y, style: labelStyle, limit: labelWidth)
            let valueX = inner.x + labelWidth + 1
            let valueWidth = inner.maxX - valueX
            if selected, let entry = state.numericEntry {
                surface.cursor = TextFieldView.draw(entry, x: valueX, y: y, width: valueWidth, style: context.style(.fieldActive), editing: true, into: &surface)
                continue
            }
            let value = row.valueText(record)
            let used = surface.put(value, x: valueX, y: y, style: context.style(row.isUnset(record) ? .textDim : .text), limit: valueWidth)
            if let bounds = row.bounds(record), let number = row.number(record) {
                drawSlider(number, bounds, x: valueX + max(used + 1, 8), y: y, width: inner.maxX - valueX - max(used + 1, 8), &surface, context)
            }
        }
        let footerY = inner.y + state.parameterRows.count + 1
        if footerY < inner.maxY {
            let live = state.live ? "live: changes re-run the edit" : "live off: C-r runs"
            surface.put(live, x: inner.x, y: footerY, style: context.style(.textDim), limit: inner.width)
        }
        let model = "model: " + (record.model.map { EditingEngine.displayName($0) } ?? "the embedded model")
        surface.putWrapped(model, in: Rect(x: inner.x, y: footerY + 1, width: inner.width, height: inner.maxY - footerY - 1), style: context.style(.textDim))
    }

    /// "━━━━●─────── 50": the value's place in its bounds, then the upper bound.
    private func drawSlider(_ value: Double, _ bounds: ClosedRange<Double>, x: Int, y: Int, width: Int, _ surface: inout Surface, _ context: WorkbenchContext) {
        let upper = bounds.upperBound == bounds.upperBound.rounded() ? String(Int(bounds.upperBound)) : String(format: "%.1f", bounds.upperBound)
        let track = width - upper.count - 1
        guard track >= 4 else { return }
        let span = bounds.upperBound - bounds.lowerBound
        // A value outside its bounds (S past a lowered step count, say) sits at the nearer end.
        let fraction = span > 0 ? min(max((value - bounds.lowerBound) / span, 0), 1) : 0
        let position = Int((fraction * Double(track - 1)).rounded())
        surface.put(String(repeating: "━", count: position), x: x, y: y, style: context.style(.sliderFill))
        surface.put("●", x: x + position, y: y, style: context.style(.sliderFill))
        surface.put(String(repeating: "─", count: track - position - 1), x: x + position + 1, y: y, style: context.style(.sliderTrack))
        surface.put(upper, x: x + track + 1, y: y, style: context.style(.textDim))
    }
}

// Keys that work everywhere (unless a text field or a popup takes them first), and the keys of text fields.

enum GlobalBindings {
    static var bindings: [KeyBinding] {
        [
            KeyBinding("help", keys("?", "f1"), "this help", hint: true, .showHelp),
            KeyBinding("quit", keys("q"), "quit (asks if unsaved)", hint: true, .requestQuit),
            KeyBinding("next-panel", keys("tab"), "next panel", .focusNext),
            KeyBinding("previous-panel", keys("shift-tab"), "previous panel", .focusPrevious),
            KeyBinding("source", keys("1"), "Source panel", .focus(.source)),
            KeyBinding("prompts", keys("2"), "Prompts panel", .focus(.prompts)),
            KeyBinding("parameters", keys("3"), "Method & parameters panel", .focus(.parameters)),
            KeyBinding("preview", keys("4"), "Preview panel", .focus(.preview)),
            KeyBinding("inspector", keys("5"), "Attention inspector panel", .focus(.inspector)),
            KeyBinding("mask", keys("6"), "Mask editor panel", .focus(.mask)),
            KeyBinding("zoom", keys("ctrl-f"), "focused panel full screen", .toggleZoom),
            KeyBinding("run", keys("ctrl-r", "f5"), "run the edit", hint: true, .run),
            KeyBinding("cancel", keys("ctrl-c", "ctrl-x"), "cancel the run", .cancelRun),
            KeyBinding("save", keys("ctrl-s"), "save the session", hint: true, .saveSession),
            KeyBinding("save-as", keys("S"), "save the session as…", .openDialog(.saveSession)),
            KeyBinding("load", keys("ctrl-o"), "load a session (recent files: ↑/↓)", .openDialog(.loadSession)),
            KeyBinding("export", keys("ctrl-e"), "export the result PNG and its record", .openDialog(.exportResult)),
        ]
    }

    /// Editing a prompt, a typed parameter value or a path. Printable keys insert themselves.
    static var fieldBindings: [KeyBinding] {
        [
            KeyBinding("accept", keys("enter"), "finish (Enter) and keep the text", hint: true) { state, _ in
                if state.overlay != nil { return [.submitDialog] }
                return state.numericEntry != nil ? [.commitNumericEntry] : [.finishEditing]
            },
            KeyBinding("cancel", keys("esc"), "leave the field", hint: true) { state, _ in
                if state.overlay != nil { return [.closeOverlay] }
                return state.numericEntry != nil ? [.cancelNumericEntry] : [.finishEditing]
            },
            KeyBinding("left", keys("left", "ctrl-b"), "cursor left", .edit(.left)),
            KeyBinding("right", keys("right", "ctrl-f"), "cursor right", .edit(.right)),
            KeyBinding("home", keys("home", "ctrl-a"), "start of line", .edit(.home)),
            KeyBinding("end", keys("end", "ctrl-e"), "end of line", .edit(.end)),
            KeyBinding("word-left", keys("shift-left"), "word left", .edit(.wordLeft)),
            KeyBinding("word-right", keys("shift-right"), "word right", .edit(.wordRight)),
            KeyBinding("backspace", keys("backspace", "ctrl-h"), "delete left", .edit(.backspace)),
            KeyBinding("delete", keys("delete", "ctrl-d"), "delete right", .edit(.delete)),
            KeyBinding("kill-to-end", keys("ctrl-k"), "delete to the end", .edit(.killToEnd)),
            KeyBinding("kill-to-start", keys("ctrl-u"), "delete to the start", .edit(.killToStart)),
            KeyBinding("kill-word", keys("ctrl-w"), "delete the word before", .edit(.killWord)),
            KeyBinding("history-previous", keys("up"), "earlier text (history)") { state, _ in
                state.overlay != nil ? [.moveDialogSelection(-1)] : [.edit(.historyPrevious)]
            },
            KeyBinding("history-next", keys("down"), "later text (history)") { state, _ in
                state.overlay != nil ? [.moveDialogSelection(1)] : [.edit(.historyNext)]
            },
        ]
    }

    static var helpBindings: [KeyBinding] {
        [
            KeyBinding("close", keys("esc", "?", "q"), "close the help", hint: true, .closeOverlay),
            KeyBinding("down", keys("down", "j"), "scroll down", .scrollHelp(1)),
            KeyBinding("up", keys("up", "k"), "scroll up", .scrollHelp(-1)),
            KeyBinding("page-down", keys("pagedown", "space"), "page down", .scrollHelp(10)),
            KeyBinding("page-up", keys("pageup"), "page up", .scrollHelp(-10)),
        ]
    }

    static var confirmBindings: [KeyBinding] {
        [
            KeyBinding("save-and-quit", keys("s"), "save, then quit", hint: true, .confirmQuit(saveFirst: true)),
            KeyBinding("quit", keys("y"), "quit without saving", hint: true, .confirmQuit(saveFirst: false)),
            KeyBinding("stay", keys("n", "esc"), "keep working", hint: true, .closeOverlay),
        ]
    }
}

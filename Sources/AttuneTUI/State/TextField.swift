// An editable line of text with a cursor and a history (prompts, numbers, paths), edited emacs/readline-style.

public struct TextField: Equatable, Sendable {
    public private(set) var text: String
    /// Cursor position in characters, 0...text.count.
    public private(set) var cursor: Int
    /// Earlier committed values, oldest first.
    public private(set) var history: [String] = []
    private var historyIndex: Int?
    /// The text being typed before browsing history, restored when browsing past the newest entry.
    private var draft = ""

    public init(_ text: String = "") {
        self.text = text
        cursor = text.count
    }

    public enum Edit: Equatable, Sendable {
        case insert(String)
        case backspace, delete
        case left, right, home, end, wordLeft, wordRight
        /// Ctrl-K: delete to the end; Ctrl-U: delete to the start; Ctrl-W: delete the word before the cursor.
        case killToEnd, killToStart, killWord
        case historyPrevious, historyNext
    }

    public mutating func apply(_ edit: Edit) {
        var characters = Array(text)
        switch edit {
        case .insert(let string):
            let clean = string.filter { !$0.isNewline && $0 != "\t" }
            characters.insert(contentsOf: clean, at: cursor)
            cursor += clean.count
        case .backspace:
            guard cursor > 0 else { return }
            characters.remove(at: cursor - 1)
            cursor -= 1
        case .delete:
            guard cursor < characters.count else { return }
            characters.remove(at: cursor)
        case .left: cursor = max(0, cursor - 1)
        case .right: cursor = min(characters.count, cursor + 1)
        case .home: cursor = 0
        case .end: cursor = characters.count
        case .wordLeft: cursor = Self.wordStart(characters, before: cursor)
        case .wordRight:
            var i = cursor
            while i < characters.count, characters[i].isWhitespace { i += 1 }
            while i < characters.count, !characters[i].isWhitespace { i += 1 }
            cursor = i
        case .killToEnd: characters.removeSubrange(cursor...)
        case .killToStart:
            characters.removeSubrange(..<cursor)
            cursor = 0
        case .killWord:
            let start = Self.wordStart(characters, before: cursor)
            characters.removeSubrange(start..<cursor)
            cursor = start
        case .historyPrevious, .historyNext:
            browseHistory(older: edit == .historyPrevious)
            return
        }
        text = String(characters)
        historyIndex = nil
    }

    /// Replaces the whole text (loading a session), cursor at the end.
    public mutating func setText(_ newText: String) {
        text = newText
        cursor = newText.count
        historyIndex = nil
    }

    /// Remembers the current text in the history (skipping empty text and immediate repeats).
    public mutating func commitToHistory(limit: Int = 50) {
        historyIndex = nil
        guard !text.isEmpty, history.last != text else { return }
        history.append(text)
        if history.count > limit { history.removeFirst(history.count - limit) }
    }

    private mutating func browseHistory(older: Bool) {
        guard !history.isEmpty else { return }
        if older {
            let index = historyIndex.map { max(0, $0 - 1) } ?? history.count - 1
            if historyIndex == nil { draft = text }
            historyIndex = index
            text = history[index]
        } else {
            guard let index = historyIndex else { return }
            if index + 1 < history.count {
                historyIndex = index + 1
                text = history[index + 1]
            } else {
                historyIndex = nil
                text = draft
            }
        }
        cursor = text.count
    }

    private static func wordStart(_ characters: [Character], before cursor: Int) -> Int {
        var i = cursor
        while i > 0, characters[i - 1].isWhitespace { i -= 1 }
        while i > 0, !characters[i - 1].isWhitespace { i -= 1 }
        return i
    }
}

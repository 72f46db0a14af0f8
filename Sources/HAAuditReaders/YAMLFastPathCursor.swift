import HAAuditModel

/// The fast path's cursor: the bytes and positions at it, and skipping spaces, comments and lines.
extension YAMLFastPath {
    /// The byte `offset` past the cursor; 0 past the end (the input has no NUL bytes).
    func byte(_ offset: Int = 0) -> UInt8 {
        let index = at + offset
        return index < text.count ? text[index] : 0
    }

    func position() -> Position { position(of: at) }

    func position(of index: Int) -> Position {
        Position(line: line + 1, column: index - lineStart + 1)
    }

    func isDocumentMarker(_ character: UInt8) -> Bool {
        at == lineStart && byte() == character && byte(1) == character && byte(2) == character && isBlank(byte(3))
    }

    mutating func nextLine() {
        at += 1
        line += 1
        lineStart = at
    }

    mutating func skipSpaces() {
        while byte() == .space { at += 1 }
    }

    mutating func skipComment() {
        guard byte() == .hash else { return }
        while byte() != .newline && byte() != 0 { at += 1 }
    }

    /// Skips spaces and a comment (after a space) to the end of the line; false if anything else is there.
    mutating func endOfLine() -> Bool {
        let start = at
        skipSpaces()
        if byte() == .hash && at > start { skipComment() }
        return byte() == .newline || byte() == 0
    }

    /// Skips blank lines, comment lines and the indentation of the next line with content.
    mutating func skipToContent() {
        while true {
            switch byte() {
            case .space: at += 1
            case .hash: skipComment()
            case .newline: nextLine()
            default: return
            }
        }
    }

    func isBlank(_ byte: UInt8) -> Bool {
        byte == .space || byte == .newline || byte == 0
    }
}

/// The bytes the fast path looks for, by name.
extension UInt8 {
    static let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " "), hash = UInt8(ascii: "#")
    static let dash = UInt8(ascii: "-"), dot = UInt8(ascii: "."), colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")
    static let bang = UInt8(ascii: "!"), percent = UInt8(ascii: "%"), questionMark = UInt8(ascii: "?")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    static let singleQuote = UInt8(ascii: "'"), doubleQuote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    static let ampersand = UInt8(ascii: "&"), asterisk = UInt8(ascii: "*"), pipe = UInt8(ascii: "|")
    static let greater = UInt8(ascii: ">"), less = UInt8(ascii: "<"), at = UInt8(ascii: "@"), backtick = UInt8(ascii: "`")
}

import HAAuditModel

/// Reads the subset of YAML most manifests are written in straight into a `NodeTree`, about
/// three times faster than going through libyaml's events (libyaml allocates and frees every
/// token).
///
/// The subset: block mappings and sequences (indentless and compact ones too), flow mappings and
/// sequences, plain scalars on one line, quoted scalars on one line without escapes, local tags
/// such as `!Ref`, comments and `---`. At the first thing outside it (anchors and aliases, merge
/// keys, block scalars, escapes, multi-line scalars, directives, tabs, carriage returns,
/// non-ASCII bytes, and anything that may be an error) it declines, and `YAMLReader` reads the
/// whole file with libyaml. So it never decides what is valid YAML, and where it accepts a file
/// it builds the tree libyaml's events build, positions included: `YAMLFastPathTests` compare
/// the two on every fixture, acceptance and corpus file, and `Fuzz/ReaderFuzz.swift` on
/// generated inputs.
package struct YAMLFastPath {
    /// The input leaves the subset: read it with libyaml.
    struct Declined: Error {}

    private typealias Tag = (name: String, position: Position)

    private let text: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var tree: NodeTreeBuilder
    /// The cursor, its line (0-based) and where that line starts.
    private var at = 0
    private var line = 0
    private var lineStart = 0

    /// The documents of `text`, or nil when it leaves the subset.
    package static func read(_ text: UnsafeBufferPointer<UInt8>, maxDepth: Int) -> [Node]? {
        guard isPrintableASCII(text) else { return nil }
        var reader = YAMLFastPath(text: text, maxDepth: maxDepth, tree: NodeTreeBuilder(source: text))
        guard let roots = try? reader.stream() else { return nil }
        let tree = reader.tree.finish()
        return roots.map { Node(tree: tree, index: $0) }
    }

    /// Printable ASCII and newlines only: columns are then byte offsets, and no byte needs
    /// libyaml's checks for encodings, control characters or line-break styles.
    private static func isPrintableASCII(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return true }
        // Eight bytes at a time; each mask has the high bit of every byte it flags (exact per byte:
        // no sum carries into the next byte).
        let (low7, high) = (UInt64(0x7F7F_7F7F_7F7F_7F7F), UInt64(0x8080_8080_8080_8080))
        func zeroBytes(_ word: UInt64) -> UInt64 { ~(((word & low7) &+ low7) | word) & high }
        var outside: UInt64 = 0
        var offset = 0
        while offset + 8 <= text.count {
            let word = UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self)
            let control = ~(((word & low7) &+ 0x6060_6060_6060_6060) | word) & high  // below 0x20
            let newline = zeroBytes(word ^ 0x0A0A_0A0A_0A0A_0A0A)
            outside |= (word & high) | (control & ~newline) | zeroBytes(word ^ low7)
            offset += 8
        }
        for byte in text[offset...] where !(byte &- 0x20 < 0x5F || byte == .newline) { return false }
        return outside == 0
    }

    private init(text: UnsafeBufferPointer<UInt8>, maxDepth: Int, tree: NodeTreeBuilder) {
        self.text = text
        self.maxDepth = maxDepth
        self.tree = tree
    }

    // MARK: Documents

    private mutating func stream() throws(Declined) -> [Int32] {
        var roots: [Int32] = []
        var explicitlyStarted = false
        skipToContent()
        while true {
            if byte() == 0 {
                // A `---` with nothing after it is a document holding an empty scalar, placed
                // where libyaml puts its stream end: the start of the line after the last.
                let end = Position(line: line + (at == lineStart ? 1 : 2), column: 1)
                if explicitlyStarted { roots.append(emptyScalar(tag: nil, at: end)) }
                return roots
            }
            guard at > lineStart || (byte() != .percent && !isDocumentMarker(.dot)) else { throw Declined() }
            if isDocumentMarker(.dash) {
                if explicitlyStarted { roots.append(emptyScalar(tag: nil, at: position())) }
                at += 3
                guard endOfLine() else { throw Declined() }
                explicitlyStarted = true
                skipToContent()
                continue
            }
            roots.append(try nodeAtLineStart(parentIndent: -1, tag: nil))
            explicitlyStarted = false
            skipToContent()
            guard byte() == 0 || isDocumentMarker(.dash) else { throw Declined() }
        }
    }

    // MARK: Block structure

    /// A node whose first character starts a line (after its indentation), below a block
    /// collection indented `parentIndent` columns.
    private mutating func nodeAtLineStart(parentIndent: Int, tag: Tag?) throws(Declined) -> Int32 {
        if isBlockEntry() { return try blockSequence(tag: tag) }
        if isKeyLine() { return try blockMapping(tag: tag) }
        return try nodeOnThisLine(tag: tag, parentIndent: parentIndent)
    }

    /// The node after a mapping's `:` (`compact` false) or a sequence's `-` (`compact` true: a
    /// mapping or sequence may then start on the same line). `emptyAt` is where an empty
    /// value is placed: just after the indicator, as libyaml does.
    private mutating func value(parentIndent: Int, compact: Bool, emptyAt: Position) throws(Declined) -> Int32 {
        skipSpaces()
        var tag: Tag?
        if byte() == .bang {
            tag = try scanTag()
            guard byte() == .space || byte() == .newline || byte() == 0 else { throw Declined() }
            skipSpaces()
        }
        if byte() == .hash || byte() == .newline || byte() == 0 {
            // The value, if any, is on the lines below.
            skipComment()
            skipToContent()
            let indent = at - lineStart
            let isEnd = byte() == 0 || isDocumentMarker(.dash) || isDocumentMarker(.dot)
            if !isEnd && indent > parentIndent { return try nodeAtLineStart(parentIndent: parentIndent, tag: tag) }
            // A mapping's value may be a sequence at the mapping's own indentation.
            if !isEnd && !compact && indent == parentIndent && isBlockEntry() { return try blockSequence(tag: tag) }
            return emptyScalar(tag: tag, at: tag?.position ?? emptyAt)
        }
        if compact && tag == nil {
            if isBlockEntry() { return try blockSequence(tag: nil) }
            if isKeyLine() { return try blockMapping(tag: nil) }
        }
        return try nodeOnThisLine(tag: tag, parentIndent: parentIndent)
    }

    /// A scalar or flow collection that must end on this line (a flow collection: on its
    /// last line), before a comment at most.
    private mutating func nodeOnThisLine(tag: Tag?, parentIndent: Int) throws(Declined) -> Int32 {
        let node: Int32
        switch byte() {
        case .openBracket, .openBrace: node = try flowCollection(tag: tag, parentIndent: parentIndent)
        case .doubleQuote, .singleQuote: node = try quotedScalar(tag: tag)
        default: node = try plainScalar(tag: tag, inFlow: false)
        }
        guard endOfLine() else { throw Declined() }
        return node
    }

    private mutating func blockMapping(tag: Tag?) throws(Declined) -> Int32 {
        let indent = at - lineStart
        try begin(mapping: true, tag: tag)
        repeat {
            try blockKey()
            at += 1
            _ = try value(parentIndent: indent, compact: false, emptyAt: position())
        } while try continues(indent: indent, mapping: true)
        // A key given twice is an error: libyaml's path reports it.
        guard tree.repeatedKeyError() == nil else { throw Declined() }
        return tree.end()
    }

    private mutating func blockSequence(tag: Tag?) throws(Declined) -> Int32 {
        let indent = at - lineStart
        try begin(mapping: false, tag: tag)
        repeat {
            at += 1
            _ = try value(parentIndent: indent, compact: true, emptyAt: position())
        } while try continues(indent: indent, mapping: false)
        return tree.end()
    }

    /// After an entry of a block collection at `indent`: moves to the next content and says
    /// whether it is the collection's next entry (a mapping's next line, or a `-` entry).
    /// Deeper content (a scalar's continuation line, or an error) declines; the caller of a
    /// collection that ends judges what follows it.
    private mutating func continues(indent: Int, mapping: Bool) throws(Declined) -> Bool {
        skipToContent()
        let next = at - lineStart
        guard byte() != 0, next >= indent else { return false }
        guard next == indent else { throw Declined() }
        // A line at a mapping's indentation that is no key is an error: `blockKey` declines it.
        return !isDocumentMarker(.dash) && !isDocumentMarker(.dot) && (mapping || isBlockEntry())
    }

    /// A block mapping key, up to (not past) its `:`.
    private mutating func blockKey() throws(Declined) {
        if byte() == .doubleQuote || byte() == .singleQuote {
            _ = try quotedScalar(tag: nil)
            skipSpaces()
            guard byte() == .colon, isBlank(byte(1)) else { throw Declined() }
            return
        }
        guard canStartPlainScalar(inFlow: false) else { throw Declined() }
        let start = at
        var end = at
        while !(byte() == .colon && isBlank(byte(1))) {
            switch byte() {
            case .newline, 0: throw Declined()
            case .space: if byte(1) == .hash { throw Declined() }
            default: end = at + 1
            }
            at += 1
        }
        // libyaml takes no simple key longer than 1024 characters.
        guard at - start < 1000 else { throw Declined() }
        try plainScalar(from: start, to: end, tag: nil)
    }

    /// Whether the line from the cursor is `key: ...` (plain or quoted key).
    private func isKeyLine() -> Bool {
        var index = at
        func byte(_ index: Int) -> UInt8 { index < text.count ? text[index] : 0 }
        let quote = byte(index)
        if quote == .doubleQuote || quote == .singleQuote {
            index += 1
            while byte(index) != quote || (quote == .singleQuote && byte(index + 1) == .singleQuote) {
                if byte(index) == .newline || byte(index) == 0 { return false }
                index += byte(index) == quote ? 2 : 1
            }
            index += 1
            while byte(index) == .space { index += 1 }
            return byte(index) == .colon && isBlank(byte(index + 1))
        }
        guard canStartPlainScalar(inFlow: false) else { return false }
        while true {
            switch byte(index) {
            case .newline, 0: return false
            case .colon where isBlank(byte(index + 1)): return true
            case .space where byte(index + 1) == .hash: return false
            default: index += 1
            }
        }
    }

    private func isBlockEntry() -> Bool {
        byte() == .dash && isBlank(byte(1))
    }

    // MARK: Flow collections

    private mutating func flowCollection(tag: Tag?, parentIndent: Int) throws(Declined) -> Int32 {
        let isMapping = byte() == .openBrace
        let close: UInt8 = isMapping ? .closeBrace : .closeBracket
        try begin(mapping: isMapping, tag: tag)
        at += 1
        try skipFlowSpace(parentIndent: parentIndent)
        guard byte() != close else {
            at += 1
            return tree.end()
        }
        while true {
            if isMapping {
                switch byte() {
                case .doubleQuote, .singleQuote: _ = try quotedScalar(tag: nil)
                default: _ = try plainScalar(tag: nil, inFlow: true)
                }
                skipSpaces()
                guard byte() == .colon, isBlank(byte(1)) else { throw Declined() }
                at += 1
                try skipFlowSpace(parentIndent: parentIndent)
                guard byte() != .comma, byte() != close else { throw Declined() }
            }
            _ = try flowNode(parentIndent: parentIndent)
            try skipFlowSpace(parentIndent: parentIndent)
            if byte() == close { break }
            // A `:` here would make a one-pair mapping inside a sequence: libyaml's to read.
            guard byte() == .comma else { throw Declined() }
            at += 1
            try skipFlowSpace(parentIndent: parentIndent)
            guard byte() != close, byte() != .comma else { throw Declined() }
        }
        guard !isMapping || tree.repeatedKeyError() == nil else { throw Declined() }
        at += 1
        return tree.end()
    }

    private mutating func flowNode(parentIndent: Int) throws(Declined) -> Int32 {
        var tag: Tag?
        if byte() == .bang {
            tag = try scanTag()
            guard byte() == .space else { throw Declined() }
            skipSpaces()
        }
        switch byte() {
        case .openBracket, .openBrace: return try flowCollection(tag: tag, parentIndent: parentIndent)
        case .doubleQuote, .singleQuote: return try quotedScalar(tag: tag)
        default: return try plainScalar(tag: tag, inFlow: true)
        }
    }

    /// Spaces, comments and line breaks inside a flow collection. Continuation lines must be
    /// indented past the enclosing block collection, and must not be document markers.
    private mutating func skipFlowSpace(parentIndent: Int) throws(Declined) {
        var crossedLine = false
        while true {
            switch byte() {
            case .space:
                at += 1
            case .newline:
                nextLine()
                crossedLine = true
            case .hash:
                guard at > lineStart, text[at - 1] == .space else { throw Declined() }
                skipComment()
            default:
                if crossedLine {
                    guard at - lineStart > parentIndent, !isDocumentMarker(.dash), !isDocumentMarker(.dot) else { throw Declined() }
                }
                return
            }
        }
    }

    // MARK: Scalars and tags

    private mutating func plainScalar(tag: Tag?, inFlow: Bool) throws(Declined) -> Int32 {
        guard canStartPlainScalar(inFlow: inFlow) else { throw Declined() }
        let start = at
        var end = at
        scanning: while true {
            switch byte() {
            case .newline, 0:
                break scanning
            case .colon:
                if isBlank(byte(1)) {
                    // In a block value, `a: b` would be a mapping libyaml does not allow there.
                    guard inFlow else { throw Declined() }
                    break scanning
                }
                // libyaml rejects `x:` before a flow indicator or `?` in flow context.
                if inFlow && (isFlowIndicator(byte(1)) || byte(1) == .questionMark) { throw Declined() }
                end = at + 1
            case .comma, .openBracket, .closeBracket, .openBrace, .closeBrace:
                if inFlow { break scanning }
                end = at + 1
            case .space:
                if byte(1) == .hash { break scanning }
            default:
                end = at + 1
            }
            at += 1
        }
        at = end
        return try plainScalar(from: start, to: end, tag: tag)
    }

    @discardableResult
    private mutating func plainScalar(from start: Int, to end: Int, tag: Tag?) throws(Declined) -> Int32 {
        // `<<` is a merge key, which only libyaml's path applies.
        guard !(end - start == 2 && text[start] == .less && text[start + 1] == .less) else { throw Declined() }
        return tree.scalar(source: start..<end, quoted: false, tag: tag?.name, at: tag?.position ?? position(of: start))
    }

    private func canStartPlainScalar(inFlow: Bool) -> Bool {
        switch byte() {
        case .dash:
            let next = byte(1)
            return !isBlank(next) && !(inFlow && isFlowIndicator(next))
        case .questionMark, .colon, .comma, .openBracket, .closeBracket, .openBrace, .closeBrace, .hash, .ampersand,
             .asterisk, .bang, .pipe, .greater, .singleQuote, .doubleQuote, .percent, .at, .backtick, .space, .newline, 0:
            return false
        default:
            return true
        }
    }

    /// A quoted scalar on one line: double-quoted without escapes, or single-quoted (`''` is a quote).
    private mutating func quotedScalar(tag: Tag?) throws(Declined) -> Int32 {
        let position = tag?.position ?? position()
        let quote = byte()
        at += 1
        let start = at
        var doubledQuotes = false
        while byte() != quote || (quote == .singleQuote && byte(1) == .singleQuote) {
            switch byte() {
            case .newline, 0: throw Declined()
            case .backslash where quote == .doubleQuote: throw Declined()
            case .singleQuote where quote == .singleQuote:
                doubledQuotes = true
                at += 2
            default:
                at += 1
            }
        }
        let end = at
        at += 1
        guard doubledQuotes else { return tree.scalar(source: start..<end, quoted: true, tag: tag?.name, at: position) }
        let raw = UnsafeBufferPointer(rebasing: text[start..<end])
        var unquoted: [UInt8] = []
        var index = 0
        while index < raw.count {
            unquoted.append(raw[index])
            index += raw[index] == .singleQuote ? 2 : 1
        }
        return unquoted.withUnsafeBufferPointer { tree.scalar($0, quoted: true, tag: tag?.name, at: position) }
    }

    /// A local tag such as `!Ref`; `!!` tags, verbatim tags and tag handles are libyaml's to read.
    private mutating func scanTag() throws(Declined) -> Tag {
        let position = position()
        at += 1
        let start = at
        while isTagCharacter(byte()) { at += 1 }
        guard at > start else { throw Declined() }
        return ("!" + String(decoding: UnsafeBufferPointer(rebasing: text[start..<at]), as: UTF8.self), position)
    }

    private mutating func emptyScalar(tag: Tag?, at position: Position) -> Int32 {
        tree.scalar(UnsafeBufferPointer(start: nil, count: 0), quoted: false, tag: tag?.name, at: position)
    }

    private mutating func begin(mapping: Bool, tag: Tag?) throws(Declined) {
        guard tree.depth < maxDepth else { throw Declined() }
        tree.begin(mapping: mapping, tag: tag?.name, at: tag?.position ?? position())
    }

    // MARK: Cursor

    /// The byte `offset` past the cursor; 0 past the end (the input has no NUL bytes).
    private func byte(_ offset: Int = 0) -> UInt8 {
        let index = at + offset
        return index < text.count ? text[index] : 0
    }

    private func position() -> Position { position(of: at) }

    private func position(of index: Int) -> Position {
        Position(line: line + 1, column: index - lineStart + 1)
    }

    private func isDocumentMarker(_ character: UInt8) -> Bool {
        at == lineStart && byte() == character && byte(1) == character && byte(2) == character && isBlank(byte(3))
    }

    private mutating func nextLine() {
        at += 1
        line += 1
        lineStart = at
    }

    private mutating func skipSpaces() {
        while byte() == .space { at += 1 }
    }

    private mutating func skipComment() {
        guard byte() == .hash else { return }
        while byte() != .newline && byte() != 0 { at += 1 }
    }

    /// Skips spaces and a comment (after a space) to the end of the line; false if anything else is there.
    private mutating func endOfLine() -> Bool {
        let start = at
        skipSpaces()
        if byte() == .hash && at > start { skipComment() }
        return byte() == .newline || byte() == 0
    }

    /// Skips blank lines, comment lines and the indentation of the next line with content.
    private mutating func skipToContent() {
        while true {
            switch byte() {
            case .space: at += 1
            case .hash: skipComment()
            case .newline: nextLine()
            default: return
            }
        }
    }

    private func isBlank(_ byte: UInt8) -> Bool {
        byte == .space || byte == .newline || byte == 0
    }

    private func isFlowIndicator(_ byte: UInt8) -> Bool {
        byte == .comma || byte == .openBracket || byte == .closeBracket || byte == .openBrace || byte == .closeBrace
    }

    private func isTagCharacter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == .dash || byte == UInt8(ascii: "_")
    }
}

private extension UInt8 {
    static let newline = UInt8(ascii: "\n"), space = UInt8(ascii: " "), hash = UInt8(ascii: "#")
    static let dash = UInt8(ascii: "-"), dot = UInt8(ascii: "."), colon = UInt8(ascii: ":"), comma = UInt8(ascii: ",")
    static let bang = UInt8(ascii: "!"), percent = UInt8(ascii: "%"), questionMark = UInt8(ascii: "?")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    static let singleQuote = UInt8(ascii: "'"), doubleQuote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    static let ampersand = UInt8(ascii: "&"), asterisk = UInt8(ascii: "*"), pipe = UInt8(ascii: "|")
    static let greater = UInt8(ascii: ">"), less = UInt8(ascii: "<"), at = UInt8(ascii: "@"), backtick = UInt8(ascii: "`")
}

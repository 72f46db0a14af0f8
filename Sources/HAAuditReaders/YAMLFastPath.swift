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

    typealias Tag = (name: String, position: Position)

    let text: UnsafeBufferPointer<UInt8>
    let maxDepth: Int
    var tree: NodeTreeBuilder
    /// The cursor, its line (0-based) and where that line starts.
    var at = 0
    var line = 0
    var lineStart = 0

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
}

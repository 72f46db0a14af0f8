import HAAuditModel

/// The fast path's scalars (plain and quoted, on one line), local tags and the nodes it opens.
extension YAMLFastPath {
    mutating func plainScalar(tag: Tag?, inFlow: Bool) throws(Declined) -> Int32 {
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
    mutating func plainScalar(from start: Int, to end: Int, tag: Tag?) throws(Declined) -> Int32 {
        // `<<` is a merge key, which only libyaml's path applies.
        guard !(end - start == 2 && text[start] == .less && text[start + 1] == .less) else { throw Declined() }
        return tree.scalar(source: start..<end, quoted: false, tag: tag?.name, at: tag?.position ?? position(of: start))
    }

    func canStartPlainScalar(inFlow: Bool) -> Bool {
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
    mutating func quotedScalar(tag: Tag?) throws(Declined) -> Int32 {
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
    mutating func scanTag() throws(Declined) -> Tag {
        let position = position()
        at += 1
        let start = at
        while isTagCharacter(byte()) { at += 1 }
        guard at > start else { throw Declined() }
        return ("!" + String(decoding: UnsafeBufferPointer(rebasing: text[start..<at]), as: UTF8.self), position)
    }

    mutating func emptyScalar(tag: Tag?, at position: Position) -> Int32 {
        tree.scalar(UnsafeBufferPointer(start: nil, count: 0), quoted: false, tag: tag?.name, at: position)
    }

    mutating func begin(mapping: Bool, tag: Tag?) throws(Declined) {
        guard tree.depth < maxDepth else { throw Declined() }
        tree.begin(mapping: mapping, tag: tag?.name, at: tag?.position ?? position())
    }

    private func isFlowIndicator(_ byte: UInt8) -> Bool {
        byte == .comma || byte == .openBracket || byte == .closeBracket || byte == .openBrace || byte == .closeBrace
    }

    private func isTagCharacter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == .dash || byte == UInt8(ascii: "_")
    }
}

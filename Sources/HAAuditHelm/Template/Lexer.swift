/// Go text/template's lexer (text/template/parse/lex.go), over UTF-8 bytes so that positions are
/// Go's byte offsets. It runs to completion before parsing: the token list is small next to the text.
struct TemplateToken: Equatable {
    enum Kind: String {
        case error, bool, char, charConstant = "charconst", comment, complex, assign = "=", declare = ":="
        case eof = "EOF", field, identifier, leftDelim = "left delim", leftParen = "(", number, pipe
        case rawString = "raw string", rightDelim = "right delim", rightParen = ")", space, string, text
        case variable
        // Keywords.
        case block, breakKeyword = "break", continueKeyword = "continue", dot = ".", define, elseKeyword = "else"
        case end, ifKeyword = "if", nilKeyword = "nil", range, template, with

        var isKeyword: Bool {
            switch self {
            case .block, .breakKeyword, .continueKeyword, .dot, .define, .elseKeyword, .end, .ifKeyword,
                 .nilKeyword, .range, .template, .with: true
            default: false
            }
        }
    }

    var kind: Kind
    /// Byte offset of the token in the input.
    var position: Int
    var value: String
    /// 1-based line of the token's start.
    var line: Int

    /// Go's `item.String()`, used in parse error messages.
    var description: String {
        switch kind {
        case .eof: return "EOF"
        case .error: return value
        case _ where kind.isKeyword: return "<\(value)>"
        default:
            let scalars = Array(value.unicodeScalars)
            if scalars.count > 10 {
                var head = String.UnicodeScalarView()
                head.append(contentsOf: scalars[0..<10])
                return GoQuote.quote(String(head)) + "..."
            }
            return GoQuote.quote(value)
        }
    }
}

struct TemplateLexer {
    static let defaultLeftDelim = "{{"
    static let defaultRightDelim = "}}"

    private let input: [UInt8]
    private let leftDelim: [UInt8]
    private let rightDelim: [UInt8]
    private let leftDelimText: String
    private let rightDelimText: String
    /// Comments become tokens (the parser drops them unless asked to keep them).
    private let emitComments: Bool
    private var position = 0
    private var start = 0
    private var parenDepth = 0
    private var tokens: [TemplateToken] = []
    /// Offsets of every newline, for turning an offset into a line.
    private let newlines: [Int]
    private var newlinesBefore = 0

    init(_ bytes: [UInt8], newlines: [Int], leftDelim: String = "", rightDelim: String = "", emitComments: Bool = true) {
        input = bytes
        self.newlines = newlines
        leftDelimText = leftDelim.isEmpty ? Self.defaultLeftDelim : leftDelim
        rightDelimText = rightDelim.isEmpty ? Self.defaultRightDelim : rightDelim
        self.leftDelim = Array(leftDelimText.utf8)
        self.rightDelim = Array(rightDelimText.utf8)
        self.emitComments = emitComments
    }

    /// Every token up to and including EOF or the first error.
    static func tokens(_ text: String, leftDelim: String = "", rightDelim: String = "", emitComments: Bool = true) -> [TemplateToken] {
        let source = TemplateSource(parseName: "", text: Array(text.utf8))
        return tokens(source, leftDelim: leftDelim, rightDelim: rightDelim, emitComments: emitComments)
    }

    /// The tokens of a source's text, its newlines reused for the tokens' lines.
    static func tokens(_ source: TemplateSource, leftDelim: String = "", rightDelim: String = "", emitComments: Bool = true) -> [TemplateToken] {
        var lexer = TemplateLexer(source.text, newlines: source.newlines, leftDelim: leftDelim, rightDelim: rightDelim, emitComments: emitComments)
        lexer.run()
        return lexer.tokens
    }

    private enum State { case text, leftDelim, comment, insideAction, rightDelim, done }

    private mutating func run() {
        // A chart's templates have about one token per eight bytes: fewer regrowths of the list
        // (more would commit memory never used).
        tokens.reserveCapacity(input.count / 8 + 1)
        var state = State.text
        while state != .done {
            switch state {
            case .text: state = lexText()
            case .leftDelim: state = lexLeftDelim()
            case .comment: state = lexComment()
            case .rightDelim: state = lexRightDelim()
            case .insideAction: state = lexInsideAction()
            case .done: break
            }
        }
    }

    // MARK: Helpers

    /// The line of `offset`. Tokens come in order, so the count of newlines before the last
    /// token's start only moves forward.
    private mutating func line(at offset: Int) -> Int {
        if newlinesBefore > 0 && newlines[newlinesBefore - 1] >= offset { newlinesBefore = 0 }
        while newlinesBefore < newlines.count && newlines[newlinesBefore] < offset { newlinesBefore += 1 }
        return newlinesBefore + 1
    }

    private mutating func emit(_ kind: TemplateToken.Kind) {
        emit(kind, value: fixedText(kind) ?? String(decoding: input[start..<position], as: UTF8.self))
    }

    private mutating func emit(_ kind: TemplateToken.Kind, value: String) {
        let line = line(at: start)
        tokens.append(TemplateToken(kind: kind, position: start, value: value, line: line))
        start = position
    }

    /// The text of a token that is always spelled the same: most tokens are delimiters,
    /// spaces and keywords, and need no string made from the input.
    private func fixedText(_ kind: TemplateToken.Kind) -> String? {
        switch kind {
        case .leftDelim: return leftDelimText
        case .rightDelim: return rightDelimText
        case .space where position - start == 1:
            switch input[start] {
            case 0x20: return " "
            case 0x0A: return "\n"
            case 0x09: return "\t"
            default: return nil
            }
        case .pipe: return "|"
        case .leftParen, .rightParen, .assign, .declare: return kind.rawValue
        case .eof: return ""
        case _ where kind.isKeyword: return kind.rawValue
        default: return nil
        }
    }

    private mutating func ignore() { start = position }

    private mutating func fail(_ message: String) -> State {
        let line = line(at: start)
        tokens.append(TemplateToken(kind: .error, position: start, value: message, line: line))
        return .done
    }

    /// The scalar at the position and its byte length; nil at the end of input. (The input came
    /// from a Swift string, so it is valid UTF-8.)
    private func peekScalar() -> (Unicode.Scalar, Int)? {
        guard position < input.count else { return nil }
        // ASCII fast path: templates are almost all ASCII, and decoding goes through an iterator.
        let byte = input[position]
        if byte < 0x80 { return (Unicode.Scalar(byte), 1) }
        let (scalar, length) = GoQuote.decodeScalar(input, at: position)
        return (scalar ?? "\u{FFFD}", length)
    }

    private mutating func next() -> Unicode.Scalar? {
        guard let (scalar, length) = peekScalar() else { return nil }
        position += length
        return scalar
    }

    private func hasPrefix(_ prefix: [UInt8], at offset: Int) -> Bool {
        guard offset + prefix.count <= input.count else { return false }
        // A plain loop: the text scan asks this at every byte.
        for index in prefix.indices where input[offset + index] != prefix[index] { return false }
        return true
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII && isSpace(UInt8(scalar.value)) }

    private static let keywords: [String: TemplateToken.Kind] = [
        "block": .block, "break": .breakKeyword, "continue": .continueKeyword, "define": .define, "else": .elseKeyword,
        "end": .end, "if": .ifKeyword, "range": .range, "nil": .nilKeyword, "template": .template, "with": .with,
        "true": .bool, "false": .bool,
    ]

    static func isAlphaNumeric(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII answered without the Unicode property tables (a lookup per character otherwise).
        if scalar.isASCII {
            let byte = UInt8(scalar.value)
            return byte == 0x5F || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber: return true
        default: return false
        }
    }

    /// `- ` after a left delimiter.
    private func hasLeftTrimMarker(at offset: Int) -> Bool {
        offset + 1 < input.count && input[offset] == UInt8(ascii: "-") && Self.isSpace(input[offset + 1])
    }

    /// ` -` before a right delimiter.
    private func hasRightTrimMarker(at offset: Int) -> Bool {
        offset + 1 < input.count && Self.isSpace(input[offset]) && input[offset + 1] == UInt8(ascii: "-")
    }

    /// Whether a right delimiter (possibly trim-marked) starts here, and whether it is trim-marked.
    private func atRightDelim() -> (delim: Bool, trim: Bool) {
        if hasRightTrimMarker(at: position) && hasPrefix(rightDelim, at: position + 2) { return (true, true) }
        return (hasPrefix(rightDelim, at: position), false)
    }

    // MARK: States

    private mutating func lexText() -> State {
        var found: Int?
        var offset = position
        let first = leftDelim[0]
        while offset + leftDelim.count <= input.count {
            if input[offset] == first, hasPrefix(leftDelim, at: offset) { found = offset; break }
            offset += 1
        }
        guard let delimStart = found else {
            position = input.count
            if position > start { emit(.text) }
            emit(.eof)
            return .done
        }
        if delimStart > position {
            position = delimStart
            var trimmed = position
            if hasLeftTrimMarker(at: delimStart + leftDelim.count) {
                while trimmed > start && Self.isSpace(input[trimmed - 1]) { trimmed -= 1 }
            }
            if trimmed > start {
                let end = position
                position = trimmed
                emit(.text)
                position = end
            }
            ignore()
        }
        return .leftDelim
    }

    private mutating func lexLeftDelim() -> State {
        position += leftDelim.count
        let trim = hasLeftTrimMarker(at: position)
        let afterMarker = trim ? 2 : 0
        if hasPrefix(Array("/*".utf8), at: position + afterMarker) {
            position += afterMarker
            ignore()
            return .comment
        }
        emit(.leftDelim)
        position += afterMarker
        ignore()
        parenDepth = 0
        return .insideAction
    }

    private mutating func lexComment() -> State {
        position += 2
        var offset = position
        while offset + 1 < input.count && !(input[offset] == UInt8(ascii: "*") && input[offset + 1] == UInt8(ascii: "/")) {
            offset += 1
        }
        guard offset + 1 < input.count else { return fail("unclosed comment") }
        position = offset + 2
        let (delim, trim) = atRightDelim()
        guard delim else { return fail("comment ends before closing delimiter") }
        if emitComments { emit(.comment) }
        if trim { position += 2 }
        position += rightDelim.count
        if trim { skipSpaces() }
        ignore()
        return .text
    }

    private mutating func skipSpaces() {
        while position < input.count && Self.isSpace(input[position]) { position += 1 }
    }

    private mutating func lexRightDelim() -> State {
        let trim = hasRightTrimMarker(at: position)
        if trim {
            position += 2
            ignore()
        }
        position += rightDelim.count
        emit(.rightDelim)
        if trim {
            skipSpaces()
            ignore()
        }
        return .text
    }

    private mutating func lexInsideAction() -> State {
        let (delim, _) = atRightDelim()
        if delim {
            if parenDepth == 0 { return .rightDelim }
            return fail("unclosed left paren")
        }
        let before = position
        guard let scalar = next() else { return fail("unclosed action") }
        switch scalar {
        case _ where Self.isSpace(scalar):
            position = before
            return lexSpace()
        case "=":
            emit(.assign)
        case ":":
            guard next() == "=" else { return fail("expected :=") }
            emit(.declare)
        case "|":
            emit(.pipe)
        case "\"":
            return lexQuote()
        case "`":
            return lexRawQuote()
        case "$":
            return lexFieldOrVariable(.variable)
        case "'":
            return lexChar()
        case ".":
            // A digit after the dot starts a number.
            if position < input.count, !(input[position] >= UInt8(ascii: "0") && input[position] <= UInt8(ascii: "9")) {
                return lexFieldOrVariable(.field)
            }
            position = before
            return lexNumber()
        case "+", "-", "0"..."9":
            position = before
            return lexNumber()
        case _ where Self.isAlphaNumeric(scalar):
            position = before
            return lexIdentifier()
        case "(":
            emit(.leftParen)
            parenDepth += 1
        case ")":
            emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { return fail("unexpected right paren \(GoQuote.scalarDescription(scalar))") }
        case _ where scalar.isASCII && scalar.value >= 0x20 && scalar.value < 0x7F:
            emit(.char)
        default:
            return fail("unrecognized character in action: \(GoQuote.scalarDescription(scalar))")
        }
        return .insideAction
    }

    private mutating func lexSpace() -> State {
        var count = 0
        while position < input.count && Self.isSpace(input[position]) {
            position += 1
            count += 1
        }
        // A trim-marked right delimiter starts with a space: leave that space to it.
        if hasRightTrimMarker(at: position - 1) && hasPrefix(rightDelim, at: position + 1) {
            position -= 1
            if count == 1 { return .insideAction }
        }
        emit(.space)
        return .insideAction
    }

    private func atTerminator() -> Bool {
        guard let (scalar, _) = peekScalar() else { return true }
        if Self.isSpace(scalar) { return true }
        switch scalar {
        case ".", ",", "|", ":", ")", "(": return true
        default: break
        }
        // Does the scalar start the right delimiter?
        // Does the right delimiter start here? (Delimiters may start with a letter: `hub}}`.)
        return hasPrefix(rightDelim, at: position)
    }

    private mutating func absorbAlphaNumerics() {
        while position < input.count {
            // ASCII, nearly every name's every byte, without decoding a scalar.
            let byte = input[position]
            if byte < 0x80 {
                guard Self.isAlphaNumeric(Unicode.Scalar(byte)) else { return }
                position += 1
                continue
            }
            guard let (scalar, length) = peekScalar(), Self.isAlphaNumeric(scalar) else { return }
            position += length
        }
    }

    private mutating func lexIdentifier() -> State {
        absorbAlphaNumerics()
        if !atTerminator() {
            let bad = peekScalar().map { GoQuote.scalarDescription($0.0) } ?? ""
            return fail("bad character \(bad)")
        }
        let word = String(decoding: input[start..<position], as: UTF8.self)
        emit(Self.keywords[word] ?? .identifier, value: word)
        return .insideAction
    }

    /// `$` or `.` has been read.
    private mutating func lexFieldOrVariable(_ kind: TemplateToken.Kind) -> State {
        if atTerminator() {
            emit(kind == .variable ? .variable : .dot)
            return .insideAction
        }
        absorbAlphaNumerics()
        if !atTerminator() {
            let bad = peekScalar().map { GoQuote.scalarDescription($0.0) } ?? ""
            return fail("bad character \(bad)")
        }
        emit(kind)
        return .insideAction
    }

    private mutating func lexChar() -> State {
        while true {
            switch next() {
            case "\\":
                if let escaped = next(), escaped != "\n" { continue }
                return fail("unterminated character constant")
            case nil, "\n":
                return fail("unterminated character constant")
            case "'":
                emit(.charConstant)
                return .insideAction
            default:
                continue
            }
        }
    }

    private mutating func lexQuote() -> State {
        while true {
            switch next() {
            case "\\":
                if let escaped = next(), escaped != "\n" { continue }
                return fail("unterminated quoted string")
            case nil, "\n":
                return fail("unterminated quoted string")
            case "\"":
                emit(.string)
                return .insideAction
            default:
                continue
            }
        }
    }

    private mutating func lexRawQuote() -> State {
        while true {
            switch next() {
            case nil: return fail("unterminated raw quoted string")
            case "`":
                emit(.rawString)
                return .insideAction
            default: continue
            }
        }
    }

    private mutating func lexNumber() -> State {
        if !scanNumber() { return fail("bad number syntax: \(GoQuote.quote(currentText))") }
        if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") {
            // A complex constant: 1+2i.
            if !scanNumber() || input[position - 1] != UInt8(ascii: "i") {
                return fail("bad number syntax: \(GoQuote.quote(currentText))")
            }
            emit(.complex)
        } else {
            emit(.number)
        }
        return .insideAction
    }

    private var currentText: String { String(decoding: input[start..<position], as: UTF8.self) }

    private mutating func accept(_ set: String) -> Bool {
        if position < input.count, set.utf8.contains(input[position]) {
            position += 1
            return true
        }
        return false
    }

    private mutating func acceptRun(_ set: String) {
        while accept(set) {}
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") { digits = "0123456789abcdefABCDEF_" }
            else if accept("oO") { digits = "01234567_" }
            else if accept("bB") { digits = "01_" }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if let (scalar, length) = peekScalar(), Self.isAlphaNumeric(scalar) {
            position += length
            return false
        }
        return true
    }
}

/// Go text/template's lexer (text/template/parse/lex.go), over UTF-8 bytes so that positions are
/// Go's byte offsets. It runs to completion before parsing: the token list is small next to the text.
/// A token is a byte range of the source, not a string: most tokens (spaces, delimiters, keywords)
/// are never read as text, and the parser makes strings only of what goes into the tree.
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
    /// Byte offset just past the token.
    var end: Int
    /// 1-based line of the token's start.
    var line: Int
}

/// A lexed text: its tokens, and the message of the error token that ends them, if any (the one
/// token whose value is not its text).
struct LexedTemplate {
    let source: TemplateSource
    let tokens: [TemplateToken]
    let errorMessage: String

    /// The token's value as Go's lexer gives it.
    func value(of token: TemplateToken) -> String {
        token.kind == .error ? errorMessage : text(token.position, token.end)
    }

    func text(_ start: Int, _ end: Int) -> String {
        source.text.withUnsafeBufferPointer { bytes in
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }

    /// Go's `item.String()`, used in parse error messages.
    func description(of token: TemplateToken) -> String {
        let value = value(of: token)
        switch token.kind {
        case .eof: return "EOF"
        case .error: return value
        case _ where token.kind.isKeyword: return "<\(value)>"
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

    /// The source's bytes, borrowed for the run: unchecked reads, as every byte is read at least once.
    private let input: UnsafeBufferPointer<UInt8>
    private let leftDelim: [UInt8]
    private let rightDelim: [UInt8]
    /// Comments become tokens (the parser drops them unless asked to keep them).
    private let emitComments: Bool
    private var position = 0
    private var start = 0
    private var parenDepth = 0
    private var tokens: [TemplateToken] = []
    private var errorMessage = ""
    /// Offsets of every newline, for turning an offset into a line.
    private let newlines: [Int]
    private var newlinesBefore = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>, newlines: [Int], leftDelim: String, rightDelim: String, emitComments: Bool) {
        input = bytes
        self.newlines = newlines
        self.leftDelim = Array((leftDelim.isEmpty ? Self.defaultLeftDelim : leftDelim).utf8)
        self.rightDelim = Array((rightDelim.isEmpty ? Self.defaultRightDelim : rightDelim).utf8)
        self.emitComments = emitComments
    }

    /// Every token of `text` up to and including EOF or the first error.
    static func lex(_ text: String, leftDelim: String = "", rightDelim: String = "", emitComments: Bool = true) -> LexedTemplate {
        lex(TemplateSource(parseName: "", text: Array(text.utf8)), leftDelim: leftDelim, rightDelim: rightDelim, emitComments: emitComments)
    }

    /// The tokens of a source's text, its newlines reused for the tokens' lines.
    static func lex(_ source: TemplateSource, leftDelim: String = "", rightDelim: String = "", emitComments: Bool = true) -> LexedTemplate {
        source.text.withUnsafeBufferPointer { bytes in
            var lexer = TemplateLexer(bytes, newlines: source.newlines, leftDelim: leftDelim, rightDelim: rightDelim, emitComments: emitComments)
            lexer.run()
            return LexedTemplate(source: source, tokens: lexer.tokens, errorMessage: lexer.errorMessage)
        }
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
        let line = line(at: start)
        tokens.append(TemplateToken(kind: kind, position: start, end: position, line: line))
        start = position
    }

    private mutating func ignore() { start = position }

    private mutating func fail(_ message: String) -> State {
        errorMessage = message
        position = start
        emit(.error)
        return .done
    }

    /// The scalar at `offset` and its byte length; nil at the end of input. (The input came
    /// from a Swift string, so it is valid UTF-8.)
    private func scalar(at offset: Int) -> (Unicode.Scalar, Int)? {
        guard offset < input.count else { return nil }
        let byte = input[offset]
        if byte < 0x80 { return (Unicode.Scalar(byte), 1) }
        let (scalar, length) = GoQuote.decodeScalar(Array(input[offset..<min(offset + 4, input.count)]), at: 0)
        return (scalar ?? "\u{FFFD}", length)
    }

    /// Go's description of the scalar at the position, for error messages.
    private var scalarHere: String {
        scalar(at: position).map { GoQuote.scalarDescription($0.0) } ?? ""
    }

    private func hasPrefix(_ prefix: [UInt8], at offset: Int) -> Bool {
        guard offset + prefix.count <= input.count else { return false }
        // A plain loop: the text scan asks this at every byte.
        for index in prefix.indices where input[offset + index] != prefix[index] { return false }
        return true
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }

    private static func isASCIIAlphaNumeric(_ byte: UInt8) -> Bool {
        byte == 0x5F || (byte >= 0x30 && byte <= 0x39) || ((byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A)
    }

    static func isAlphaNumeric(_ scalar: Unicode.Scalar) -> Bool {
        // ASCII answered without the Unicode property tables (a lookup per character otherwise).
        if scalar.isASCII { return isASCIIAlphaNumeric(UInt8(scalar.value)) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber: return true
        default: return false
        }
    }

    /// The keyword spelled by the bytes `start..<end`, compared by bytes: every identifier asks.
    private func keyword(_ start: Int, _ end: Int) -> TemplateToken.Kind? {
        func spells(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == end - start else { return false }
            let bytes = word.utf8Start
            for index in 0..<(end - start) where input[start + index] != bytes[index] { return false }
            return true
        }
        switch input[start] {
        case UInt8(ascii: "b"): return spells("block") ? .block : spells("break") ? .breakKeyword : nil
        case UInt8(ascii: "c"): return spells("continue") ? .continueKeyword : nil
        case UInt8(ascii: "d"): return spells("define") ? .define : nil
        case UInt8(ascii: "e"): return spells("else") ? .elseKeyword : spells("end") ? .end : nil
        case UInt8(ascii: "f"): return spells("false") ? .bool : nil
        case UInt8(ascii: "i"): return spells("if") ? .ifKeyword : nil
        case UInt8(ascii: "n"): return spells("nil") ? .nilKeyword : nil
        case UInt8(ascii: "r"): return spells("range") ? .range : nil
        case UInt8(ascii: "t"): return spells("template") ? .template : spells("true") ? .bool : nil
        case UInt8(ascii: "w"): return spells("with") ? .with : nil
        default: return nil
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
        let commentStart = position + afterMarker
        if commentStart + 1 < input.count && input[commentStart] == UInt8(ascii: "/") && input[commentStart + 1] == UInt8(ascii: "*") {
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
        guard position < input.count else { return fail("unclosed action") }
        let byte = input[position]
        position += 1
        switch byte {
        case 0x20, 0x09, 0x0D, 0x0A:
            position -= 1
            return lexSpace()
        case UInt8(ascii: "="):
            emit(.assign)
        case UInt8(ascii: ":"):
            guard position < input.count, input[position] == UInt8(ascii: "=") else { return fail("expected :=") }
            position += 1
            emit(.declare)
        case UInt8(ascii: "|"):
            emit(.pipe)
        case UInt8(ascii: "\""):
            return lexQuote()
        case UInt8(ascii: "`"):
            return lexRawQuote()
        case UInt8(ascii: "$"):
            return lexFieldOrVariable(.variable)
        case UInt8(ascii: "'"):
            return lexChar()
        case UInt8(ascii: "."):
            // A digit after the dot starts a number.
            if position < input.count, !(input[position] >= UInt8(ascii: "0") && input[position] <= UInt8(ascii: "9")) {
                return lexFieldOrVariable(.field)
            }
            position -= 1
            return lexNumber()
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            position -= 1
            return lexNumber()
        case _ where Self.isASCIIAlphaNumeric(byte):
            position -= 1
            return lexIdentifier()
        case UInt8(ascii: "("):
            emit(.leftParen)
            parenDepth += 1
        case UInt8(ascii: ")"):
            emit(.rightParen)
            parenDepth -= 1
            if parenDepth < 0 { return fail("unexpected right paren \(GoQuote.scalarDescription(Unicode.Scalar(byte)))") }
        case 0x20..<0x7F:
            emit(.char)
        case 0x80...:
            position -= 1
            guard let (scalar, _) = scalar(at: position) else { return fail("unclosed action") }
            if Self.isAlphaNumeric(scalar) { return lexIdentifier() }
            return fail("unrecognized character in action: \(GoQuote.scalarDescription(scalar))")
        default:
            return fail("unrecognized character in action: \(GoQuote.scalarDescription(Unicode.Scalar(byte)))")
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
        guard position < input.count else { return true }
        switch input[position] {
        case 0x20, 0x09, 0x0D, 0x0A, UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"),
             UInt8(ascii: ")"), UInt8(ascii: "("):
            return true
        default:
            // Does the right delimiter start here? (Delimiters may start with a letter: `hub}}`.)
            return hasPrefix(rightDelim, at: position)
        }
    }

    private mutating func absorbAlphaNumerics() {
        while position < input.count {
            // ASCII, nearly every name's every byte, without decoding a scalar.
            let byte = input[position]
            if byte < 0x80 {
                guard Self.isASCIIAlphaNumeric(byte) else { return }
                position += 1
                continue
            }
            guard let (scalar, length) = scalar(at: position), Self.isAlphaNumeric(scalar) else { return }
            position += length
        }
    }

    private mutating func lexIdentifier() -> State {
        absorbAlphaNumerics()
        if !atTerminator() { return fail("bad character \(scalarHere)") }
        emit(keyword(start, position) ?? .identifier)
        return .insideAction
    }

    /// `$` or `.` has been read.
    private mutating func lexFieldOrVariable(_ kind: TemplateToken.Kind) -> State {
        if atTerminator() {
            emit(kind == .variable ? .variable : .dot)
            return .insideAction
        }
        absorbAlphaNumerics()
        if !atTerminator() { return fail("bad character \(scalarHere)") }
        emit(kind)
        return .insideAction
    }

    /// Past the closing `quote` of a quoted literal (its opening quote read), or the error.
    /// Bytes suffice: every byte of a multi-byte character is neither a quote, a backslash nor a newline.
    private mutating func scanQuoted(_ quote: UInt8, unterminated: String) -> String? {
        while position < input.count {
            let byte = input[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\\"):
                guard position < input.count, input[position] != 0x0A else { return unterminated }
                position += 1
            case 0x0A:
                return unterminated
            case quote:
                return nil
            default:
                continue
            }
        }
        return unterminated
    }

    private mutating func lexChar() -> State {
        if let error = scanQuoted(UInt8(ascii: "'"), unterminated: "unterminated character constant") { return fail(error) }
        emit(.charConstant)
        return .insideAction
    }

    private mutating func lexQuote() -> State {
        if let error = scanQuoted(UInt8(ascii: "\""), unterminated: "unterminated quoted string") { return fail(error) }
        emit(.string)
        return .insideAction
    }

    private mutating func lexRawQuote() -> State {
        while position < input.count {
            position += 1
            if input[position - 1] == UInt8(ascii: "`") {
                emit(.rawString)
                return .insideAction
            }
        }
        return fail("unterminated raw quoted string")
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
        if let (scalar, length) = scalar(at: position), Self.isAlphaNumeric(scalar) {
            position += length
            return false
        }
        return true
    }
}

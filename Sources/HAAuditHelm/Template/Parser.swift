/// Go text/template's parser (text/template/parse/parse.go): tokens to trees. One parse yields the
/// top-level tree and every `define`d or `block`ed tree, by name.
struct TemplateParser {
    /// Nesting of parenthesised pipelines and control structures. Go allows 10000; a chart never
    /// nests more than a few levels, and each level costs native stack while executing.
    static let maxNestingDepth = 1000

    struct Options {
        var leftDelim = ""
        var rightDelim = ""
        /// Keep comments in the tree (Go's `ParseComments` mode).
        var keepComments = false
        /// Accept unknown function names (Go's `SkipFuncCheck`).
        var skipFunctionCheck = false
    }

    private let lexed: LexedTemplate
    private let tokens: [TemplateToken]
    private var index = 0
    /// The furthest token read: Go reports errors at its line.
    private var furthest = 0
    private let source: TemplateSource
    private let isFunction: (String) -> Bool
    private let options: Options
    private var variables: [String] = ["$"]
    private var rangeDepth = 0
    private var nesting = 0
    private var actionLine = 0
    private var trees: [String: TemplateTree] = [:]

    /// Parses `text` as the template `name`: the returned map holds the top-level tree under
    /// `name` and every definition.
    static func parse(name: String, text: String, options: Options, isFunction: @escaping (String) -> Bool) throws(TemplateError) -> [String: TemplateTree] {
        let source = TemplateSource(parseName: name, text: Array(text.utf8))
        let lexed = TemplateLexer.lex(source, leftDelim: options.leftDelim, rightDelim: options.rightDelim, emitComments: options.keepComments)
        var parser = TemplateParser(lexed: lexed, isFunction: isFunction, options: options)
        let root = try parser.parseTop()
        try parser.add(TemplateTree(name: name, root: root, source: parser.source))
        return parser.trees
    }

    private init(lexed: LexedTemplate, isFunction: @escaping (String) -> Bool, options: Options) {
        self.lexed = lexed
        tokens = lexed.tokens
        source = lexed.source
        self.isFunction = isFunction
        self.options = options
    }

    // MARK: Tokens

    private mutating func next() -> TemplateToken {
        let token = tokens[min(index, tokens.count - 1)]
        if index < tokens.count - 1 { index += 1 } else { index = tokens.count }
        furthest = max(furthest, min(index - 1, tokens.count - 1))
        return token
    }

    private mutating func backup() { index -= 1 }

    private mutating func peek() -> TemplateToken {
        tokens[min(index, tokens.count - 1)]
    }

    private mutating func nextNonSpace() -> TemplateToken {
        skipSpaces()
        return next()
    }

    private mutating func peekNonSpace() -> TemplateToken {
        let token = nextNonSpace()
        backup()
        return token
    }

    /// Moves past space tokens without copying them.
    private mutating func skipSpaces() {
        while index < tokens.count - 1, tokens[index].kind == .space {
            furthest = max(furthest, index)
            index += 1
        }
    }

    private func error(_ message: String) -> TemplateError {
        TemplateError("template: \(source.parseName):\(tokens[furthest].line): \(message)")
    }

    private func unexpected(_ token: TemplateToken, _ context: String) -> TemplateError {
        if token.kind == .error {
            var extra = ""
            if actionLine != 0 && actionLine != token.line {
                extra = " in action started at \(source.parseName):\(actionLine)"
                if lexed.errorMessage.hasSuffix(" action") { extra = String(extra.dropFirst(" in action".count)) }
            }
            return error(lexed.errorMessage + extra)
        }
        return error("unexpected \(lexed.description(of: token)) in \(context)")
    }

    private mutating func expect(_ kind: TemplateToken.Kind, _ context: String) throws(TemplateError) -> TemplateToken {
        let token = nextNonSpace()
        if token.kind != kind { throw unexpected(token, context) }
        return token
    }

    // MARK: Structure

    private mutating func add(_ tree: TemplateTree) throws(TemplateError) {
        guard let existing = trees[tree.name], !existing.isEmpty else {
            trees[tree.name] = tree
            return
        }
        if !tree.isEmpty { throw error("template: multiple definition of template \(GoQuote.quote(tree.name))") }
    }

    private mutating func parseTop() throws(TemplateError) -> [TemplateNode] {
        var root: [TemplateNode] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                _ = next()
                if nextNonSpace().kind == .define {
                    try parseDefinition()
                    continue
                }
                // Back to the left delimiter (past any spaces read).
                while tokens[index - 1].kind != .leftDelim { backup() }
                backup()
            }
            let node = try textOrAction()
            switch node {
            case .elseMarker, .endMarker: throw error("unexpected \(node.description)")
            default: root.append(node)
            }
        }
        return root
    }

    /// A nested tree (`define`, `block`) starts with fresh variables.
    private mutating func nested<T>(_ body: (inout TemplateParser) throws(TemplateError) -> T) throws(TemplateError) -> T {
        let (savedVariables, savedRangeDepth) = (variables, rangeDepth)
        variables = ["$"]
        rangeDepth = 0
        defer { (variables, rangeDepth) = (savedVariables, savedRangeDepth) }
        return try body(&self)
    }

    private mutating func parseDefinition() throws(TemplateError) {
        let context = "define clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        _ = try expect(.rightDelim, context)
        try nested { (parser: inout TemplateParser) throws(TemplateError) in
            let (list, end) = try parser.itemList()
            if case .endMarker = end {} else { throw parser.error("unexpected \(end.description) in \(context)") }
            try parser.add(TemplateTree(name: name, root: list, source: parser.source))
        }
    }

    private mutating func itemList() throws(TemplateError) -> ([TemplateNode], TemplateNode) {
        var list: [TemplateNode] = []
        while peekNonSpace().kind != .eof {
            let node = try textOrAction()
            switch node {
            case .elseMarker, .endMarker: return (list, node)
            default: list.append(node)
            }
        }
        throw error("unexpected EOF")
    }

    private mutating func textOrAction() throws(TemplateError) -> TemplateNode {
        let token = nextNonSpace()
        switch token.kind {
        case .text:
            return .text(position: token.position, lexed.value(of: token))
        case .leftDelim:
            actionLine = token.line
            defer { actionLine = 0 }
            return try action()
        case .comment:
            return .comment(position: token.position, lexed.value(of: token))
        default:
            throw unexpected(token, "input")
        }
    }

    private mutating func action() throws(TemplateError) -> TemplateNode {
        let token = nextNonSpace()
        switch token.kind {
        case .block: return try blockControl()
        case .breakKeyword, .continueKeyword:
            let name = token.kind == .breakKeyword ? "break" : "continue"
            let closing = nextNonSpace()
            if closing.kind != .rightDelim { throw unexpected(closing, "{{\(name)}}") }
            if rangeDepth == 0 { throw error("{{\(name)}} outside {{range}}") }
            return token.kind == .breakKeyword ? .breakNode(position: token.position) : .continueNode(position: token.position)
        case .elseKeyword:
            let peeked = peekNonSpace()
            // `{{else if ...}}` and `{{else with ...}}` read as `{{else}}{{if ...}}`.
            if peeked.kind == .ifKeyword || peeked.kind == .with {
                return .elseMarker(position: peeked.position, line: peeked.line)
            }
            let closing = try expect(.rightDelim, "else")
            return .elseMarker(position: closing.position, line: closing.line)
        case .end:
            let closing = try expect(.rightDelim, "end")
            return .endMarker(position: closing.position)
        case .ifKeyword: return .ifNode(try parseControl("if"))
        case .range: return .rangeNode(try parseControl("range"))
        case .template: return try templateControl()
        case .with: return .withNode(try parseControl("with"))
        default:
            backup()
            let start = peek()
            // Variables declared here persist until the enclosing `end`.
            return .action(position: start.position, line: start.line, try pipeline("command", end: .rightDelim))
        }
    }

    private mutating func parseControl(_ context: String) throws(TemplateError) -> BranchNode {
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maxNestingDepth { throw error("max expression depth exceeded") }
        let savedVariables = variables.count
        defer { variables.removeLast(variables.count - savedVariables) }
        let pipe = try pipeline(context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        let (list, next) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: [TemplateNode]?
        if case .elseMarker = next {
            // `{{else if}}` / `{{else with}}`: parse the nested control up to its `{{end}}`,
            // which also ends this one.
            if context == "if" && peek().kind == .ifKeyword {
                _ = self.next()
                elseList = [.ifNode(try parseControl("if"))]
            } else if context == "with" && peek().kind == .with {
                _ = self.next()
                elseList = [.withNode(try parseControl("with"))]
            } else {
                let (list, end) = try itemList()
                guard case .endMarker = end else { throw error("expected end; found \(end.description)") }
                elseList = list
            }
        }
        return BranchNode(position: pipe.position, line: pipe.line, pipe: pipe, list: list, elseList: elseList)
    }

    private mutating func templateName(_ token: TemplateToken, _ context: String) throws(TemplateError) -> String {
        guard token.kind == .string || token.kind == .rawString else { throw unexpected(token, context) }
        guard let name = lexed.unquote(token) else { throw error("invalid syntax") }
        return name
    }

    private mutating func templateControl() throws(TemplateError) -> TemplateNode {
        let context = "template clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        var pipe: PipeNode?
        if nextNonSpace().kind != .rightDelim {
            backup()
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .template(position: token.position, line: token.line, name: name, pipe)
    }

    private mutating func blockControl() throws(TemplateError) -> TemplateNode {
        let context = "block clause"
        let token = nextNonSpace()
        let name = try templateName(token, context)
        let pipe = try pipeline(context, end: .rightDelim)
        try nested { (parser: inout TemplateParser) throws(TemplateError) in
            let (list, end) = try parser.itemList()
            if case .endMarker = end {} else { throw parser.error("unexpected \(end.description) in \(context)") }
            try parser.add(TemplateTree(name: name, root: list, source: parser.source))
        }
        return .template(position: token.position, line: token.line, name: name, pipe)
    }

    // MARK: Pipelines

    private mutating func pipeline(_ context: String, end: TemplateToken.Kind) throws(TemplateError) -> PipeNode {
        let start = peekNonSpace()
        var pipe = PipeNode(position: start.position, line: start.line)
        declarations: while true {
            let saved = index
            let variable = nextNonSpace()
            guard variable.kind == .variable else {
                index = saved
                break
            }
            // `$x foo` is an argument, `$x :=` a declaration: look past the space.
            let following = peekNonSpace()
            switch following.kind {
            case .assign, .declare:
                pipe.isAssign = following.kind == .assign
                _ = nextNonSpace()
                let name = lexed.value(of: variable)
                pipe.declarations.append(VariableNode(position: variable.position, identifiers: [name]))
                variables.append(name)
            case .char where source.text[following.position] == UInt8(ascii: ","):
                _ = nextNonSpace()
                let name = lexed.value(of: variable)
                pipe.declarations.append(VariableNode(position: variable.position, identifiers: [name]))
                variables.append(name)
                if context == "range" && pipe.declarations.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen: continue declarations
                    default: throw error("range can only initialize variables")
                    }
                }
                throw error("too many declarations in \(context)")
            default:
                // Not a declaration: the variable is an operand.
                index = saved
            }
            break
        }
        while true {
            let token = nextNonSpace()
            switch token.kind {
            case end:
                try checkPipeline(pipe, context)
                return pipe
            case .bool, .charConstant, .complex, .dot, .field, .identifier, .number, .nilKeyword, .rawString,
                 .string, .variable, .leftParen:
                backup()
                pipe.commands.append(try command())
            default:
                throw unexpected(token, context)
            }
        }
    }

    private func checkPipeline(_ pipe: PipeNode, _ context: String) throws(TemplateError) {
        if pipe.commands.isEmpty { throw error("missing value for \(context)") }
        // Only the first command of a pipeline can start with a non-executable operand.
        for (offset, command) in pipe.commands.enumerated().dropFirst() {
            switch command.arguments[0] {
            case .bool, .dot, .nilNode, .number, .string:
                throw error("non executable command in pipeline stage \(offset + 1)")
            default: break
            }
        }
    }

    private mutating func command() throws(TemplateError) -> CommandNode {
        var command = CommandNode(position: peekNonSpace().position)
        while true {
            _ = peekNonSpace()
            if let operand = try operand() { command.arguments.append(operand) }
            let token = next()
            switch token.kind {
            case .space: continue
            case .rightDelim, .rightParen: backup()
            case .pipe: break
            default: throw unexpected(token, "operand")
            }
            break
        }
        if command.arguments.isEmpty { throw error("empty command") }
        return command
    }

    private mutating func operand() throws(TemplateError) -> TemplateNode? {
        guard let node = try term() else { return nil }
        guard peek().kind == .field else { return node }
        let chainPosition = peek().position
        var fields: [String] = []
        while peek().kind == .field { fields.append(lexed.fieldName(next())) }
        switch node {
        case .field(_, let names):
            return .field(position: chainPosition, names + fields)
        case .variable(let variable):
            return .variable(VariableNode(position: chainPosition, identifiers: variable.identifiers + fields))
        case .bool, .string, .number, .nilNode, .dot:
            throw error("unexpected . after term \(GoQuote.quote(node.description))")
        default:
            return .chain(position: chainPosition, node, fields)
        }
    }

    private mutating func term() throws(TemplateError) -> TemplateNode? {
        let token = nextNonSpace()
        switch token.kind {
        case .identifier:
            let name = lexed.value(of: token)
            if !options.skipFunctionCheck && !isFunction(name) {
                throw error("function \(GoQuote.quote(name)) not defined")
            }
            return .identifier(position: token.position, name)
        case .dot: return .dot(position: token.position)
        case .nilKeyword: return .nilNode(position: token.position)
        case .variable:
            let variable = VariableNode(position: token.position, identifiers: lexed.splitVariable(token))
            guard variables.contains(variable.identifiers[0]) else {
                throw error("undefined variable \(GoQuote.quote(variable.identifiers[0]))")
            }
            return .variable(variable)
        case .field:
            // The whole chain at once (`operand` would join two arrays); as there, a chain
            // of several fields is at its second field.
            var names = [lexed.fieldName(token)]
            guard peek().kind == .field else { return .field(position: token.position, names) }
            let chainPosition = peek().position
            while peek().kind == .field { names.append(lexed.fieldName(next())) }
            return .field(position: chainPosition, names)
        case .bool: return .bool(position: token.position, source.text[token.position] == UInt8(ascii: "t"))
        case .number:
            if let value = lexed.plainDecimal(token) {
                return .number(NumberNode(position: token.position, text: lexed.value(of: token), isInt: true, isUint: true, isFloat: true,
                                          int64: value, uint64: UInt64(value), float64: Double(value)))
            }
            fallthrough
        case .charConstant, .complex:
            do {
                return .number(try NumberNode.parse(position: token.position, text: lexed.value(of: token), kind: token.kind))
            } catch {
                throw self.error(error.message)
            }
        case .leftParen:
            nesting += 1
            defer { nesting -= 1 }
            if nesting > Self.maxNestingDepth { throw error("max expression depth exceeded") }
            return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            guard let text = lexed.unquote(token) else { throw error("invalid syntax") }
            return .string(position: token.position, quoted: lexed.value(of: token), text)
        default:
            backup()
            return nil
        }
    }
}

/// The values of tokens, read from the source's bytes. (Here rather than on the parser: a call
/// on the parser from its mutating methods copied the whole parser.)
private extension LexedTemplate {
    /// The value of the commonest number literal, a few decimal digits (no sign, prefix, octal
    /// zero or underscore), read without `NumberNode.parse`'s string work.
    func plainDecimal(_ token: TemplateToken) -> Int64? {
        let digits = source.text[token.position..<token.end]
        guard (1...18).contains(digits.count), digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
        var value: Int64 = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int64(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// A string token's value, `strconv.Unquote` of its text. The lexer ended the token at its
    /// closing quote, so its body has no unescaped quote and no backslash before that quote;
    /// escapes of one letter are read here, numeric ones by `GoQuote.unquote`.
    func unquote(_ token: TemplateToken) -> String? {
        let text = source.text
        let (bodyStart, bodyEnd) = (token.position + 1, token.end - 1)
        let body = text[bodyStart..<bodyEnd]
        switch text[token.position] {
        case UInt8(ascii: "`"):
            // Go drops carriage returns from raw strings.
            if !body.contains(0x0D) { return self.text(bodyStart, bodyEnd) }
        case UInt8(ascii: "\""):
            guard let backslash = body.firstIndex(of: UInt8(ascii: "\\")) else { return self.text(bodyStart, bodyEnd) }
            var result = Array(text[bodyStart..<backslash])
            result.reserveCapacity(body.count)
            var offset = backslash
            while offset < bodyEnd {
                let byte = text[offset]
                offset += 1
                guard byte == UInt8(ascii: "\\") else {
                    result.append(byte)
                    continue
                }
                switch text[offset] {
                case UInt8(ascii: "n"): result.append(0x0A)
                case UInt8(ascii: "t"): result.append(0x09)
                case UInt8(ascii: "r"): result.append(0x0D)
                case UInt8(ascii: "a"): result.append(0x07)
                case UInt8(ascii: "b"): result.append(0x08)
                case UInt8(ascii: "f"): result.append(0x0C)
                case UInt8(ascii: "v"): result.append(0x0B)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): result.append(text[offset])
                default: return GoQuote.unquote(value(of: token))
                }
                offset += 1
            }
            return String(decoding: result, as: UTF8.self)
        default: break
        }
        return GoQuote.unquote(value(of: token))
    }

    /// A field token's name: the token is a dot and the name (the lexer ends it at the next dot).
    func fieldName(_ token: TemplateToken) -> String {
        text(token.position + 1, token.end)
    }

    /// A variable token's parts between dots, split on bytes.
    func splitVariable(_ token: TemplateToken) -> [String] {
        var parts: [String] = []
        var start = token.position
        for offset in token.position..<token.end where source.text[offset] == UInt8(ascii: ".") {
            parts.append(text(start, offset))
            start = offset + 1
        }
        parts.append(text(start, token.end))
        return parts
    }
}

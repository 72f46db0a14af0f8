import HAAuditModel

/// A lexical index of the start tags of an XML document, in document order, with the position
/// of each tag and of each of its attributes. It does not parse XML (libxml2 does); it only
/// finds where things are, skipping comments, CDATA, processing instructions and the DOCTYPE.
struct XMLTagScanner {
    struct StartTag {
        var name: String
        var position: Position
        var attributes: [(name: String, position: Position)]
    }

    let bytes: [UInt8]
    private var index = 0
    private var line = 1
    /// In characters: UTF-8 continuation bytes do not count.
    private var column = 1

    init(bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
    }

    func startTags() -> [StartTag] {
        var scanner = self
        return scanner.scan()
    }

    private var position: Position { Position(line: line, column: column) }

    private mutating func advance() {
        if bytes[index] == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else if bytes[index] & 0xC0 != 0x80 {
            column += 1
        }
        index += 1
    }

    private mutating func skip(past terminator: [UInt8]) {
        while index < bytes.count {
            if bytes[index] == terminator[0], bytes[index...].starts(with: terminator) {
                for _ in terminator { advance() }
                return
            }
            advance()
        }
    }

    private func isNameByte(_ byte: UInt8) -> Bool {
        !(byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "=") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "<"))
    }

    private mutating func name() -> String {
        let start = index
        while index < bytes.count, isNameByte(bytes[index]) { advance() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func scan() -> [StartTag] {
        var tags: [StartTag] = []
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "<") else {
                advance()
                continue
            }
            let rest = bytes[index...]
            if rest.starts(with: Array("<!--".utf8)) {
                skip(past: Array("-->".utf8))
            } else if rest.starts(with: Array("<![CDATA[".utf8)) {
                skip(past: Array("]]>".utf8))
            } else if rest.starts(with: Array("<?".utf8)) {
                skip(past: Array("?>".utf8))
            } else if rest.starts(with: Array("<!".utf8)) {
                skipDeclaration()
            } else if rest.starts(with: Array("</".utf8)) {
                skip(past: Array(">".utf8))
            } else {
                tags.append(startTag())
            }
        }
        return tags
    }

    /// `<!DOCTYPE ...>`, with an internal subset in brackets that may hold its own declarations.
    private mutating func skipDeclaration() {
        var depth = 0
        var quote: UInt8?
        while index < bytes.count {
            let byte = bytes[index]
            advance()
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "]") {
                depth -= 1
            } else if byte == UInt8(ascii: ">"), depth <= 0 {
                return
            }
        }
    }

    private mutating func startTag() -> StartTag {
        let tagPosition = position
        advance()
        var tag = StartTag(name: name(), position: tagPosition, attributes: [])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ">") {
                advance()
                break
            }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                advance()
                while index < bytes.count, bytes[index] != byte { advance() }
                if index < bytes.count { advance() }
            } else if isNameByte(byte) {
                let attributePosition = position
                tag.attributes.append((name(), attributePosition))
            } else {
                advance()
            }
        }
        return tag
    }
}

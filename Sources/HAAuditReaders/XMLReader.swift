import HAAuditModel
import CLibXML2

/// An element of a parsed XML document, with positions for it and for each attribute.
public struct XMLElement: Sendable {
    public var name: String
    /// The namespace URI (elements are matched by URI, never by prefix).
    public var namespace: String?
    public var attributes: [XMLAttribute] = []
    public var children: [XMLElement] = []
    /// The element's own text (text and CDATA children, concatenated).
    public var text = ""
    public var position: Position
    /// The comments written directly before the element, for `<!-- haaudit:ignore ... -->`.
    public var precedingComments: [String] = []

    public func attribute(_ name: String) -> XMLAttribute? {
        attributes.first { $0.name == name }
    }

    /// Child elements with this local name, in this element's namespace.
    public func children(_ name: String) -> [XMLElement] {
        children.filter { $0.name == name && $0.namespace == namespace }
    }

    public func child(_ name: String) -> XMLElement? {
        children.first { $0.name == name && $0.namespace == namespace }
    }

    /// The descendant reached through a path of child names.
    public func child(path names: String...) -> XMLElement? {
        var element: XMLElement? = self
        for name in names { element = element?.child(name) }
        return element
    }
}

public struct XMLAttribute: Sendable {
    public var name: String
    public var value: String
    /// Where the attribute's name starts.
    public var position: Position
}

/// Parses XML with libxml2, safely: no network, no DTD loading, no external entities, entity
/// references left unexpanded, libxml2's own depth and amplification limits kept.
package struct XMLReader {
    static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_BIG_LINES.rawValue | XML_PARSE_NOCDATA.rawValue)

    /// Collects the first error libxml2 reports (its last one is often a consequence, such as
    /// "premature end of data"), and keeps libxml2 from printing anything itself.
    private final class FirstError {
        var message: String?
        var position = Position(line: 1, column: 1)
    }

    /// libxml2's global state is set up once: initialised, and every external entity refused.
    private static let setUp: Void = {
        xmlInitParser()
        xmlSetExternalEntityLoader { _, _, _ in nil }
    }()

    package func read(_ bytes: [UInt8]) throws(ReadError) -> XMLElement {
        _ = Self.setUp
        guard let context = xmlNewParserCtxt() else {
            throw ReadError(message: "libxml2 could not allocate a parser", position: Position(line: 1, column: 1))
        }
        defer { xmlFreeParserCtxt(context) }
        let firstError = FirstError()
        let box = Unmanaged.passUnretained(firstError).toOpaque()
        xmlSetStructuredErrorFunc(box) { context, error in
            guard let context, let error, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let collected = Unmanaged<FirstError>.fromOpaque(context).takeUnretainedValue()
            guard collected.message == nil else { return }
            var message = error.pointee.message.map { String(cString: $0) } ?? "unknown problem"
            while message.last?.isWhitespace == true { message.removeLast() }
            collected.message = message
            collected.position = Position(line: max(1, Int(error.pointee.line)), column: max(1, Int(error.pointee.int2)))
        }
        defer { xmlSetStructuredErrorFunc(nil, nil) }
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(buffer.count, 1)) { pointer in
                xmlCtxtReadMemory(context, pointer, Int32(clamping: buffer.count), "input.xml", nil, Self.options)
            }
        }
        guard let document else {
            throw ReadError(message: "XML syntax error: \(firstError.message ?? "the document is not well-formed")",
                            position: firstError.position)
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else {
            throw ReadError(message: "XML document has no root element", position: Position(line: 1, column: 1))
        }
        var converter = Converter(tags: XMLTagScanner(bytes: bytes).startTags())
        var element = converter.convert(root)
        if !converter.positionsMatched {
            // The lexical index disagrees with libxml2 (an unusual encoding, say): fall back to
            // libxml2's line numbers, at column 1.
            var fallback = Converter(tags: [])
            element = fallback.convert(root)
        }
        element.precedingComments = Self.comments(before: root)
        return element
    }

    /// Comments among the document's top-level nodes before the root element.
    private static func comments(before root: xmlNodePtr) -> [String] {
        var comments: [String] = []
        var node = root.pointee.prev
        while let current = node {
            if current.pointee.type == XML_COMMENT_NODE, let content = current.pointee.content {
                comments.insert(String(cString: content), at: 0)
            }
            node = current.pointee.prev
        }
        return comments
    }

    /// Turns libxml2's tree into `XMLElement`s, taking positions from the lexical index of start
    /// tags (libxml2 keeps only a line per element, and none per attribute).
    private struct Converter {
        let tags: [XMLTagScanner.StartTag]
        var next = 0
        var positionsMatched = true

        init(tags: [XMLTagScanner.StartTag]) {
            self.tags = tags
        }

        mutating func convert(_ node: xmlNodePtr) -> XMLElement {
            let tag = next < tags.count ? tags[next] : nil
            next += 1
            let name = String(cString: node.pointee.name)
            if let tag, tag.name.split(separator: ":").last.map(String.init) != name {
                positionsMatched = false
            }
            if tag == nil && !tags.isEmpty { positionsMatched = false }
            let position = tag?.position ?? Position(line: Int(xmlGetLineNo(node)), column: 1)
            var element = XMLElement(name: name, namespace: node.pointee.ns.flatMap { $0.pointee.href.map { String(cString: $0) } },
                                     position: position)
            var attribute = node.pointee.properties
            while let current = attribute {
                let attributeName = String(cString: current.pointee.name)
                let value = Self.text(of: current.pointee.children)
                let attributePosition = tag?.attributes.first { $0.name.split(separator: ":").last.map(String.init) == attributeName }?.position
                element.attributes.append(XMLAttribute(name: attributeName, value: value, position: attributePosition ?? position))
                attribute = current.pointee.next
            }
            var comments: [String] = []
            var child = node.pointee.children
            while let current = child {
                switch current.pointee.type {
                case XML_ELEMENT_NODE:
                    var converted = convert(current)
                    converted.precedingComments = comments
                    comments = []
                    element.children.append(converted)
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    let text = current.pointee.content.map { String(cString: $0) } ?? ""
                    element.text += text
                    if !text.allSatisfy(\.isWhitespace) { comments = [] }
                case XML_COMMENT_NODE:
                    comments.append(current.pointee.content.map { String(cString: $0) } ?? "")
                default:
                    // Entity references stay unexpanded: their content is never read.
                    break
                }
                child = current.pointee.next
            }
            return element
        }

        /// The text of an attribute's value nodes, entity references left out.
        static func text(of node: xmlNodePtr?) -> String {
            var text = ""
            var current = node
            while let node = current {
                if node.pointee.type == XML_TEXT_NODE, let content = node.pointee.content { text += String(cString: content) }
                current = node.pointee.next
            }
            return text
        }
    }

    package init() {}
}

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

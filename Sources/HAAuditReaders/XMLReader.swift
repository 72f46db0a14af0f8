import HAAuditModel
import CLibXML2

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

import HAAuditModel

/// A strict JSON (RFC 8259) parser that produces `Node` trees with the position of every value.
///
/// Strings become quoted scalars; numbers, `true`, `false` and `null` become plain scalars, so
/// frontends read JSON and YAML through the same accessors.
package struct JSONReader: DocumentReader {
    var limits: ReaderLimits

    package func read(_ bytes: [UInt8]) throws(ReadError) -> [Node] {
        var parser = Parser(bytes: bytes, maxDepth: limits.maxDepth)
        guard let root = try parser.document() else { return [] }
        return [Node(tree: parser.tree.finish(), index: root)]
    }

    private struct Parser {
        let bytes: [UInt8]
        let maxDepth: Int
        var tree: NodeTreeBuilder
        var index = 0
        var line = 1
        /// Index of the first byte of the current line, for columns.
        var lineStart = 0
        var depth = 0

        init(bytes: [UInt8], maxDepth: Int) {
            self.bytes = bytes
            self.maxDepth = maxDepth
            tree = NodeTreeBuilder(expectedBytes: bytes.count)
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                index = 3
                lineStart = 3
            }
        }

        /// The root's index in the tree, or nil for a file of only white space.
        mutating func document() throws(ReadError) -> Int32? {
            skipWhitespace()
            guard index < bytes.count else { return nil }
            let root = try value()
            skipWhitespace()
            guard index == bytes.count else { throw error("unexpected content after the JSON value") }
            return root
        }

        /// Where the column was last counted, so that a long (minified) line is counted once.
        var countedIndex = 0
        var countedColumn = 1

        /// The current position. Columns count characters, not bytes (UTF-8 continuation bytes
        /// are skipped), and are counted forward from the last call.
        mutating func position() -> Position {
            if countedIndex < lineStart {
                countedIndex = lineStart
                countedColumn = 1
            }
            while countedIndex < index {
                if bytes[countedIndex] & 0xC0 != 0x80 { countedColumn += 1 }
                countedIndex += 1
            }
            return Position(line: line, column: countedColumn)
        }

        mutating func error(_ message: String) -> ReadError {
            ReadError(message: "JSON syntax error: \(message)", position: position())
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    index += 1
                case UInt8(ascii: "\n"):
                    index += 1
                    line += 1
                    lineStart = index
                default:
                    return
                }
            }
        }

        @discardableResult
        mutating func value() throws(ReadError) -> Int32 {
            guard index < bytes.count else { throw error("unexpected end of input") }
            let start = position()
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(at: start)
            case UInt8(ascii: "["): return try array(at: start)
            case UInt8(ascii: "\""): return text(quoted: try string(), at: start)
            case UInt8(ascii: "t"): return try literal("true", at: start)
            case UInt8(ascii: "f"): return try literal("false", at: start)
            case UInt8(ascii: "n"): return try literal("null", at: start)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number(at: start)
            default: throw error("unexpected character '\(Unicode.Scalar(bytes[index]))'")
            }
        }

        mutating func enter() throws(ReadError) {
            depth += 1
            guard depth <= maxDepth else { throw error("nesting is deeper than \(maxDepth) levels") }
        }

        @discardableResult
        mutating func text(quoted utf8: [UInt8], at start: Position) -> Int32 {
            utf8.withUnsafeBufferPointer { tree.scalar($0, quoted: true, tag: nil, at: start) }
        }

        mutating func object(at start: Position) throws(ReadError) -> Int32 {
            try enter()
            index += 1
            tree.begin(mapping: true, tag: nil, at: start)
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return tree.end()
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let keyPosition = position()
                text(quoted: try string(), at: keyPosition)
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':' after a key") }
                index += 1
                skipWhitespace()
                try value()
                skipWhitespace()
                guard index < bytes.count else { throw error("unterminated object") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    if let error = tree.repeatedKeyError() { throw error }
                    index += 1
                    depth -= 1
                    return tree.end()
                } else {
                    throw error("expected ',' or '}' in an object")
                }
            }
        }

        mutating func array(at start: Position) throws(ReadError) -> Int32 {
            try enter()
            index += 1
            tree.begin(mapping: false, tag: nil, at: start)
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return tree.end()
            }
            while true {
                skipWhitespace()
                try value()
                skipWhitespace()
                guard index < bytes.count else { throw error("unterminated array") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    depth -= 1
                    return tree.end()
                } else {
                    throw error("expected ',' or ']' in an array")
                }
            }
        }

        mutating func literal(_ word: String, at start: Position) throws(ReadError) -> Int32 {
            let utf8 = Array(word.utf8)
            guard bytes.count - index >= utf8.count, Array(bytes[index..<index + utf8.count]) == utf8 else {
                throw error("invalid literal")
            }
            index += utf8.count
            return utf8.withUnsafeBufferPointer { tree.scalar($0, quoted: false, tag: nil, at: start) }
        }

        mutating func number(at start: Position) throws(ReadError) -> Int32 {
            let begin = index
            func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard index < bytes.count, isDigit(bytes[index]) else { throw error("invalid number") }
                while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            }
            return bytes.withUnsafeBufferPointer { buffer in
                tree.scalar(UnsafeBufferPointer(rebasing: buffer[begin..<index]), quoted: false, tag: nil, at: start)
            }
        }

        /// A string's UTF-8 bytes, escapes decoded.
        mutating func string() throws(ReadError) -> [UInt8] {
            index += 1
            var utf8: [UInt8] = []
            while index < bytes.count {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    guard String(validating: utf8, as: UTF8.self) != nil else { throw error("invalid UTF-8 in a string") }
                    return utf8
                case UInt8(ascii: "\\"):
                    index += 1
                    guard index < bytes.count else { throw error("unterminated string") }
                    let escaped = bytes[index]
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
                    case UInt8(ascii: "b"): utf8.append(0x08)
                    case UInt8(ascii: "f"): utf8.append(0x0C)
                    case UInt8(ascii: "n"): utf8.append(0x0A)
                    case UInt8(ascii: "r"): utf8.append(0x0D)
                    case UInt8(ascii: "t"): utf8.append(0x09)
                    case UInt8(ascii: "u"): utf8.append(contentsOf: try unicodeEscape())
                    default: throw error("invalid escape '\\\(Unicode.Scalar(escaped))'")
                    }
                case 0x00..<0x20:
                    throw error("control character in a string")
                default:
                    utf8.append(byte)
                    index += 1
                }
            }
            throw error("unterminated string")
        }

        /// Reads the hex digits after `\u`, joining a surrogate pair into one scalar.
        mutating func unicodeEscape() throws(ReadError) -> [UInt8] {
            var code = try hex4()
            if (0xD800..<0xDC00).contains(code), bytes.count - index >= 6,
               bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                index += 2
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("invalid surrogate pair") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
            return Array(String(scalar).utf8)
        }

        mutating func hex4() throws(ReadError) -> UInt32 {
            guard bytes.count - index >= 4,
                  let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16) else {
                throw error("invalid \\u escape")
            }
            index += 4
            return code
        }
    }

    package init(limits: ReaderLimits) {
        self.limits = limits
    }
}

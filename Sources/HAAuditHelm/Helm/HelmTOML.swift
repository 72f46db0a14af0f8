/// TOML for Helm's `toToml`/`fromToml`, as the BurntSushi/toml library writes and reads it:
/// plain keys before tables, tables indented two spaces a level, a blank line between
/// top-level tables, nils left out; integers read as int64, floats as float64.
enum HelmTOML {
    /// Deepest nesting written or read.
    static let maxDepth = 512

    // MARK: Encoding

    static func encode(_ value: TemplateValue) throws(TemplateError) -> String {
        guard case .map(let entries, let type) = value else {
            throw TemplateError("toml: top-level values must be Go maps or structs")
        }
        var output = ""
        try table(entries, keyType: type.key, path: [], into: &output)
        return output
    }

    private static func isTable(_ value: TemplateValue) -> Bool {
        if case .map = value { return true }
        return false
    }

    private static func isTableArray(_ value: TemplateValue) -> Bool {
        if case .list(let items, _) = value, !items.isEmpty { return items.allSatisfy(isTable) }
        return false
    }

    private static func table(_ entries: [String: TemplateValue], keyType: String, path: [String], into output: inout String) throws(TemplateError) {
        guard keyType == "string" else { throw TemplateError("toml: cannot encode a map with non-string key type") }
        guard path.count < maxDepth else { throw TemplateError("toml: nesting too deep") }
        let keys = TemplateValue.sortedKeys(entries)
        for key in keys {
            let value = entries[key]!
            if value == .null || isTable(value) || isTableArray(value) { continue }
            output += keyIndent(path) + quoteKey(key) + " = " + (try scalar(value, depth: 0)) + "\n"
        }
        for key in keys {
            let value = entries[key]!
            let subPath = path + [key]
            if case .map(let inner, let type) = value {
                if subPath.count == 1 && !output.isEmpty { output += "\n" }
                output += keyIndent(subPath).dropLast(2) + "[" + subPath.map(quoteKey).joined(separator: ".") + "]\n"
                try table(inner, keyType: type.key, path: subPath, into: &output)
            } else if isTableArray(value), case .list(let items, _) = value {
                for case .map(let inner, let type) in items {
                    if subPath.count == 1 && !output.isEmpty { output += "\n" }
                    output += keyIndent(subPath).dropLast(2) + "[[" + subPath.map(quoteKey).joined(separator: ".") + "]]\n"
                    try table(inner, keyType: type.key, path: subPath, into: &output)
                }
            }
        }
    }

    /// Two spaces per table level for the keys of a table at `path`.
    private static func keyIndent(_ path: [String]) -> String {
        String(repeating: "  ", count: path.count)
    }

    private static func quoteKey(_ key: String) -> String {
        let bare = !key.isEmpty && key.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-"
        }
        return bare ? key : quote(key)
    }

    private static func scalar(_ value: TemplateValue, depth: Int) throws(TemplateError) -> String {
        guard depth < maxDepth else { throw TemplateError("toml: nesting too deep") }
        switch value {
        case .bool(let flag): return String(flag)
        case .int(let number, _): return String(number)
        case .uint(let number, _): return String(number)
        case .duration(let nanoseconds): return String(nanoseconds)
        case .float(let number, _):
            if number.isNaN { return "nan" }
            if number.isInfinite { return number < 0 ? "-inf" : "inf" }
            let text = HelmJSON.number(number)
            return text.contains(".") || text.contains("e") ? text : text + ".0"
        case .string(let text): return quote(text)
        case .list(let items, _):
            var parts: [String] = []
            for item in items where item != .null { parts.append(try scalar(item, depth: depth + 1)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .map(let entries, _):
            var parts: [String] = []
            for key in TemplateValue.sortedKeys(entries) where entries[key] != .null {
                parts.append(quoteKey(key) + " = " + (try scalar(entries[key]!, depth: depth + 1)))
            }
            return "{" + parts.joined(separator: ", ") + "}"
        default:
            return quote(GoFormat.string(value))
        }
    }

    private static func quote(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\t": output += "\\t"
            case "\r": output += "\\r"
            case "\u{8}": output += "\\b"
            case "\u{C}": output += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let digits = String(scalar.value, radix: 16, uppercase: true)
                    output += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }

    // MARK: Decoding

    /// Key/value lines, `[table]` and `[[array]]` headers, basic and literal strings,
    /// integers, floats, booleans, arrays and inline tables.
    static func decode(_ text: String) throws(TemplateError) -> TemplateValue {
        var parser = Parser(characters: Array(text))
        return .map(try parser.document())
    }

    private struct Parser {
        let characters: [Character]
        var position = 0
        var line = 1

        func failure(_ message: String) -> TemplateError {
            TemplateError("toml: line \(line): \(message)")
        }

        var atEnd: Bool { position >= characters.count }
        var current: Character? { atEnd ? nil : characters[position] }

        mutating func skipBlanks() {
            while let character = current, character == " " || character == "\t" { position += 1 }
        }

        /// Blanks, comments and line breaks.
        mutating func skipLines() {
            while let character = current {
                if character == " " || character == "\t" || character == "\r" {
                    position += 1
                } else if character == "\n" || character == "\r\n" {
                    position += 1
                    line += 1
                } else if character == "#" {
                    while let next = current, next != "\n", next != "\r\n" { position += 1 }
                } else {
                    return
                }
            }
        }

        mutating func document() throws(TemplateError) -> [String: TemplateValue] {
            var root: [String: TemplateValue] = [:]
            var tablePath: [String] = []
            skipLines()
            while !atEnd {
                if current == "[" {
                    position += 1
                    let isArray = current == "["
                    if isArray { position += 1 }
                    let path = try key()
                    guard current == "]" else { throw failure("expected ']' after table key") }
                    position += 1
                    if isArray {
                        guard current == "]" else { throw failure("expected ']]' after array table key") }
                        position += 1
                        try Self.appendTable(&root, path[...], line: line)
                    } else {
                        try Self.insert(&root, path[...], .map([:]), replaceTable: false, line: line)
                    }
                    tablePath = path
                } else {
                    let path = try key()
                    guard current == "=" else {
                        throw failure(atEnd ? "unexpected EOF; expected key separator '='" : "expected key separator '='")
                    }
                    position += 1
                    skipBlanks()
                    let value = try self.value(depth: 0)
                    try Self.insert(&root, (tablePath + path)[...], value, replaceTable: true, line: line)
                }
                skipBlanks()
                if current == "#" { skipLines() }
                guard atEnd || current == "\n" || current == "\r\n" else { throw failure("expected a new line after a value") }
                skipLines()
            }
            return root
        }

        /// A dotted key: bare parts or quoted ones.
        mutating func key() throws(TemplateError) -> [String] {
            var parts: [String] = []
            while true {
                skipBlanks()
                if current == "\"" || current == "'" {
                    guard case .string(let text) = try value(depth: 0) else { throw failure("bad key") }
                    parts.append(text)
                } else {
                    var bare = ""
                    while let character = current, character.isLetter || character.isNumber || character == "_" || character == "-" {
                        bare.append(character)
                        position += 1
                    }
                    guard !bare.isEmpty else { throw failure(atEnd ? "unexpected EOF; expected key separator '='" : "expected a key") }
                    parts.append(bare)
                }
                skipBlanks()
                guard current == "." else { return parts }
                position += 1
            }
        }

        mutating func value(depth: Int) throws(TemplateError) -> TemplateValue {
            guard depth < HelmTOML.maxDepth else { throw failure("nesting too deep") }
            guard let character = current else { throw failure("unexpected EOF; expected a value") }
            switch character {
            case "\"", "'":
                let literal = character == "'"
                position += 1
                var text = ""
                while let next = current, next != character {
                    position += 1
                    if next == "\n" { throw failure("strings cannot contain new lines") }
                    if next == "\\" && !literal {
                        guard let escape = current else { break }
                        position += 1
                        switch escape {
                        case "n": text.append("\n")
                        case "t": text.append("\t")
                        case "r": text.append("\r")
                        case "b": text.append("\u{8}")
                        case "f": text.append("\u{C}")
                        case "\"": text.append("\"")
                        case "\\": text.append("\\")
                        case "u", "U":
                            let width = escape == "u" ? 4 : 8
                            guard position + width <= characters.count,
                                  let code = UInt32(String(characters[position..<position + width]), radix: 16),
                                  let scalar = Unicode.Scalar(code) else { throw failure("invalid unicode escape") }
                            text.unicodeScalars.append(scalar)
                            position += width
                        default: throw failure("invalid escape character '\(escape)'")
                        }
                    } else {
                        text.append(next)
                    }
                }
                guard current == character else { throw failure("unexpected EOF; expected '\(character)'") }
                position += 1
                return .string(text)
            case "[":
                position += 1
                var items: [TemplateValue] = []
                while true {
                    skipLines()
                    if current == "]" {
                        position += 1
                        return .list(items)
                    }
                    items.append(try value(depth: depth + 1))
                    skipLines()
                    if current == "," { position += 1 } else if current != "]" { throw failure("expected ',' or ']' in array") }
                }
            case "{":
                position += 1
                var entries: [String: TemplateValue] = [:]
                skipBlanks()
                if current == "}" {
                    position += 1
                    return .map(entries)
                }
                while true {
                    let path = try key()
                    guard current == "=" else { throw failure("expected key separator '='") }
                    position += 1
                    skipBlanks()
                    try Self.insert(&entries, path[...], try value(depth: depth + 1), replaceTable: true, line: line)
                    skipBlanks()
                    if current == "," {
                        position += 1
                    } else if current == "}" {
                        position += 1
                        return .map(entries)
                    } else {
                        throw failure("expected ',' or '}' in inline table")
                    }
                }
            default:
                var word = ""
                while let next = current, !" \t\r\n,]}#".contains(next) {
                    word.append(next)
                    position += 1
                }
                if word == "true" { return .bool(true) }
                if word == "false" { return .bool(false) }
                let plain = word.filter { $0 != "_" }
                if let integer = Int64(plain) { return .int(integer, .int64) }
                for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where plain.hasPrefix(prefix) {
                    if let integer = Int64(plain.dropFirst(2), radix: radix) { return .int(integer, .int64) }
                }
                switch plain {
                case "inf", "+inf": return .float(.infinity)
                case "-inf": return .float(-.infinity)
                case "nan", "+nan", "-nan": return .float(.nan)
                default: break
                }
                if let float = Double(plain), plain.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) { return .float(float) }
                throw failure("expected value but found \"\(word)\" instead")
            }
        }

        static func insert(_ table: inout [String: TemplateValue], _ path: ArraySlice<String>, _ value: TemplateValue, replaceTable: Bool, line: Int) throws(TemplateError) {
            let key = path.first!
            if path.count == 1 {
                if let existing = table[key] {
                    if !replaceTable, case .map = existing { return }
                    throw TemplateError("toml: line \(line): key '\(key)' is already defined")
                }
                table[key] = value
                return
            }
            switch table[key] ?? .map([:]) {
            case .map(var inner, _):
                try insert(&inner, path.dropFirst(), value, replaceTable: replaceTable, line: line)
                table[key] = .map(inner)
            case .list(var items, let type) where !items.isEmpty:
                // Keys under `[[array]]` go to its last table.
                guard case .map(var inner, _) = items[items.count - 1] else {
                    throw TemplateError("toml: line \(line): key '\(key)' is not a table")
                }
                try insert(&inner, path.dropFirst(), value, replaceTable: replaceTable, line: line)
                items[items.count - 1] = .map(inner)
                table[key] = .list(items, type: type)
            default:
                throw TemplateError("toml: line \(line): key '\(key)' is not a table")
            }
        }

        static func appendTable(_ table: inout [String: TemplateValue], _ path: ArraySlice<String>, line: Int) throws(TemplateError) {
            let key = path.first!
            if path.count == 1 {
                guard case .list(var items, _) = table[key] ?? .list([]) else {
                    throw TemplateError("toml: line \(line): key '\(key)' is not an array of tables")
                }
                items.append(.map([:]))
                table[key] = .list(items)
                return
            }
            switch table[key] ?? .map([:]) {
            case .map(var inner, _):
                try appendTable(&inner, path.dropFirst(), line: line)
                table[key] = .map(inner)
            case .list(var items, let type) where !items.isEmpty:
                guard case .map(var inner, _) = items[items.count - 1] else {
                    throw TemplateError("toml: line \(line): key '\(key)' is not a table")
                }
                try appendTable(&inner, path.dropFirst(), line: line)
                items[items.count - 1] = .map(inner)
                table[key] = .list(items, type: type)
            default:
                throw TemplateError("toml: line \(line): key '\(key)' is not a table")
            }
        }
    }
}

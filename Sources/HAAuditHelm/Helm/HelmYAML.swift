/// YAML as Helm's `toYaml` writes it: sigs.k8s.io/yaml's `Marshal`, which turns the value
/// into JSON and the JSON into go-yaml v2 output. So numbers are what JSON made of them
/// (a float64 `3` is written `3`), map keys are sorted in go-yaml's natural order, lists sit
/// at their key's indentation (`key:\n- a`), and strings are quoted only when go-yaml must:
/// double quotes for text that would read back as another type (`"true"`, `"1.0"`, `""`),
/// single quotes for text that cannot be plain (`': '`, leading `*`), `|-` blocks for lines.
enum HelmYAML {
    /// A value after the JSON round trip: scalars already decided as written text or a string.
    private indirect enum Node {
        case literal(String)
        case string(String)
        case map([(String, Node)])
        case list([Node])
    }

    /// `yaml.Marshal` (sigs.k8s.io/yaml); `indentLists` gives `toYamlPretty`'s go-yaml v3
    /// layout (lists indented under their key).
    static func marshal(_ value: TemplateValue, indentLists: Bool = false) throws(TemplateError) -> String {
        // Encoding validates what JSON refuses (NaN, infinities) as Marshal would.
        _ = try HelmJSON.encode(value)
        var output = ""
        // go-yaml v2 folds long lines at 80 columns (Helm never turns that off); v3, which
        // `toYamlPretty` uses, does not fold.
        let emitter = Emitter(indentLists: indentLists, width: indentLists ? nil : 80)
        emitter.document(node(value), into: &output)
        return output
    }

    private static func node(_ value: TemplateValue) -> Node {
        switch value {
        case .null: return .literal("null")
        case .bool(let flag): return .literal(String(flag))
        case .int(let number, _): return .literal(String(number))
        case .uint(let number, _): return .literal(String(number))
        case .duration(let nanoseconds): return .literal(String(nanoseconds))
        case .float(let number, _):
            // JSON writes an integral float64 below 1e21 as digits, which go-yaml reads back
            // as an integer when it fits one.
            if number == number.rounded(), abs(number) < 9.2e18 { return .literal(String(Int64(number))) }
            if number == number.rounded(), number > 0, number < 1.8e19 { return .literal(String(UInt64(number))) }
            return .literal(GoFormat.shortest(number))
        case .string(let text): return .string(text)
        case .bytes(let bytes): return .string(HelmJSON.base64(bytes))
        case .time: return .string(HelmJSON.rfc3339(value))
        case .list(let items, _): return .list(items.map(node))
        case .map(let entries, _):
            return .map(entries.keys.sorted(by: keyPrecedes).map { ($0, node(entries[$0]!)) })
        }
    }

    /// go-yaml v2's key order: letters after other characters, digit runs compared as numbers.
    static func keyPrecedes(_ a: String, _ b: String) -> Bool {
        let left = Array(a.unicodeScalars), right = Array(b.unicodeScalars)
        var i = 0
        while i < left.count && i < right.count {
            if left[i] == right[i] {
                i += 1
                continue
            }
            let leftLetter = left[i].properties.isAlphabetic, rightLetter = right[i].properties.isAlphabetic
            if leftLetter && rightLetter { return left[i].value < right[i].value }
            if leftLetter || rightLetter { return rightLetter }
            func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
            var leftNumber: Int64 = 0, rightNumber: Int64 = 0
            // A digit run that continues one before this position and has a nonzero digit
            // compares as 1 against 1 plus the rest (go-yaml's handling of leading zeros).
            if left[i] == "0" || right[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(left[j]) {
                    if left[j] != "0" {
                        leftNumber = 1
                        rightNumber = 1
                        break
                    }
                    j -= 1
                }
            }
            var li = i, ri = i
            while li < left.count && isDigit(left[li]) {
                leftNumber = leftNumber &* 10 &+ Int64(left[li].value - 48)
                li += 1
            }
            while ri < right.count && isDigit(right[ri]) {
                rightNumber = rightNumber &* 10 &+ Int64(right[ri].value - 48)
                ri += 1
            }
            if leftNumber != rightNumber { return leftNumber < rightNumber }
            if li != ri { return li < ri }
            return left[i].value < right[i].value
        }
        return left.count < right.count
    }

    private struct Emitter {
        let indentLists: Bool
        let width: Int?

        func document(_ node: Node, into output: inout String) {
            switch node {
            case .map(let entries) where !entries.isEmpty: map(entries, indent: 0, inline: false, into: &output)
            case .list(let items) where !items.isEmpty: list(items, indent: 0, inline: false, into: &output)
            default:
                output += scalar(node, blockIndent: 2, column: 0)
                if output.utf8.last != UInt8(ascii: "\n") { output += "\n" }
            }
        }

        private func map(_ entries: [(String, Node)], indent: Int, inline: Bool, into output: inout String) {
            for (index, (key, value)) in entries.enumerated() {
                if !(inline && index == 0) { output += String(repeating: " ", count: indent) }
                output += HelmYAML.scalarText(key, isKey: true, blockIndent: indent + 2, column: 0, width: nil) + ":"
                switch value {
                case .map(let inner) where !inner.isEmpty:
                    output += "\n"
                    map(inner, indent: indent + 2, inline: false, into: &output)
                case .list(let items) where !items.isEmpty:
                    output += "\n"
                    list(items, indent: indentLists ? indent + 2 : indent, inline: false, into: &output)
                default:
                    output += " "
                    output += scalar(value, blockIndent: indent + 2, column: Self.column(output))
                    if output.utf8.last != UInt8(ascii: "\n") { output += "\n" }
                }
            }
        }

        private func list(_ items: [Node], indent: Int, inline: Bool, into output: inout String) {
            for (index, item) in items.enumerated() {
                if !(inline && index == 0) { output += String(repeating: " ", count: indent) }
                output += "- "
                switch item {
                case .map(let inner) where !inner.isEmpty:
                    map(inner, indent: indent + 2, inline: true, into: &output)
                case .list(let inner) where !inner.isEmpty:
                    list(inner, indent: indent + 2, inline: true, into: &output)
                default:
                    output += scalar(item, blockIndent: indent + 2, column: Self.column(output))
                    if output.utf8.last != UInt8(ascii: "\n") { output += "\n" }
                }
            }
        }

        /// Characters since the last line break: where the next scalar starts.
        static func column(_ output: String) -> Int {
            // Over UTF-8: scalars are the bytes that are no continuation bytes.
            output.utf8.reversed().prefix { $0 != UInt8(ascii: "\n") }.count { $0 & 0xC0 != 0x80 }
        }

        private func scalar(_ node: Node, blockIndent: Int, column: Int) -> String {
            switch node {
            case .literal(let text): text
            case .string(let text): HelmYAML.scalarText(text, isKey: false, blockIndent: blockIndent, column: column, width: width)
            case .map: "{}"
            case .list: "[]"
            }
        }
    }

    // MARK: Scalars

    /// A string as go-yaml v2 writes it (its encoder's choice, then libyaml's emitter analysis).
    /// `column` is where the scalar starts; with a `width`, long lines fold at a space past it
    /// onto a new line at `blockIndent` (keys never fold).
    static func scalarText(_ text: String, isKey: Bool, blockIndent: Int, column: Int, width: Int?) -> String {
        let fold = Fold(width: isKey ? nil : width, indent: blockIndent, column: column)
        if readsAsOtherType(text) { return doubleQuoted(text, fold) }
        let analysis = Analysis(text)
        if text.utf8.contains(UInt8(ascii: "\n")) && !isKey {
            return analysis.blockAllowed ? literal(text, indent: blockIndent) : doubleQuoted(text, fold)
        }
        if analysis.blockPlainAllowed && !(isKey && text.isEmpty) { return plain(text, fold) }
        if analysis.singleQuotedAllowed { return singleQuoted(text, fold) }
        return doubleQuoted(text, fold)
    }

    /// libyaml's line folding: at a space (not after another space) once the line is past
    /// `width`, a line break and the indentation replace the space.
    private struct Fold {
        let width: Int?
        let indent: Int
        var column: Int

        /// Whether to break here instead of writing the space.
        func breaks(afterSpace: Bool) -> Bool {
            guard let width else { return false }
            return !afterSpace && column > width
        }

        mutating func lineBreak(into output: inout String) {
            output += "\n" + String(repeating: " ", count: indent)
            column = indent
        }

        mutating func write(_ text: String, into output: inout String) {
            output += text
            column += text.unicodeScalars.count
        }
    }

    private static func plain(_ text: String, _ fold: Fold) -> String {
        // Nothing to fold (the usual case): no width, no space, or the text ends before it.
        guard let width = fold.width, text.utf8.contains(UInt8(ascii: " ")),
              fold.column + text.unicodeScalars.count > width else { return text }
        var fold = fold
        var output = ""
        let scalars = Array(text.unicodeScalars)
        var afterSpace = false
        for (index, scalar) in scalars.enumerated() {
            if scalar == " " {
                let nextIsSpace = index + 1 < scalars.count && scalars[index + 1] == " "
                if fold.breaks(afterSpace: afterSpace) && !nextIsSpace {
                    fold.lineBreak(into: &output)
                } else {
                    fold.write(" ", into: &output)
                }
                afterSpace = true
            } else {
                fold.write(String(scalar), into: &output)
                afterSpace = false
            }
        }
        return output
    }

    private static func singleQuoted(_ text: String, _ fold: Fold) -> String {
        var fold = fold
        var output = ""
        fold.write("'", into: &output)
        let scalars = Array(text.unicodeScalars)
        var afterSpace = false
        for (index, scalar) in scalars.enumerated() {
            if scalar == " " {
                let nextIsSpace = index + 1 < scalars.count && scalars[index + 1] == " "
                if fold.breaks(afterSpace: afterSpace) && index != 0 && index != scalars.count - 1 && !nextIsSpace {
                    fold.lineBreak(into: &output)
                } else {
                    fold.write(" ", into: &output)
                }
                afterSpace = true
            } else {
                fold.write(scalar == "'" ? "''" : String(scalar), into: &output)
                afterSpace = false
            }
        }
        fold.write("'", into: &output)
        return output
    }

    /// Text that go-yaml would resolve to a non-string when read back plain: null, booleans
    /// (YAML 1.1), numbers, timestamps and sexagesimal numbers.
    static func readsAsOtherType(_ text: String) -> Bool {
        if case .string = ValuesReader.resolvePlain(text) {} else { return true }
        return isTimestamp(text) || isBase60Float(text)
    }

    /// `2001-12-14`, `2001-12-14t21:59:43.10-05:00`, `2001-12-14 21:59:43.10` (go-yaml v2's
    /// timestamp formats).
    private static func isTimestamp(_ text: String) -> Bool {
        var characters = Substring(text)
        func digits(_ range: ClosedRange<Int>) -> Bool {
            let run = characters.prefix { ("0"..."9").contains($0) }
            guard range.contains(run.count) else { return false }
            characters = characters.dropFirst(run.count)
            return true
        }
        func take(_ character: Character) -> Bool {
            guard characters.first == character else { return false }
            characters = characters.dropFirst()
            return true
        }
        guard digits(4...4), take("-"), digits(1...2), take("-"), digits(1...2) else { return false }
        if characters.isEmpty { return true }
        guard let separator = characters.first, "Tt ".contains(separator) else { return false }
        characters = characters.dropFirst()
        guard digits(1...2), take(":"), digits(1...2), take(":"), digits(1...2) else { return false }
        if take(".") { guard digits(1...9) else { return false } }
        if characters.isEmpty { return true }
        guard separator != " " else { return false }
        if take("Z") { return characters.isEmpty }
        guard take("+") || take("-"), digits(2...2), take(":"), digits(2...2) else { return false }
        return characters.isEmpty
    }

    /// `[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?`: YAML 1.1's base-60 floats (`1:20`).
    private static func isBase60Float(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        guard let first = rest.first, ("0"..."9").contains(first) else { return false }
        rest = rest.drop { ("0"..."9").contains($0) || $0 == "_" }
        var groups = 0
        while rest.first == ":" {
            rest = rest.dropFirst()
            let group = rest.prefix { ("0"..."9").contains($0) }
            guard (1...2).contains(group.count), group.count == 1 || ("0"..."5").contains(group.first!) else { return false }
            rest = rest.dropFirst(group.count)
            groups += 1
        }
        guard groups > 0 else { return false }
        if rest.first == "." { rest = rest.drop { $0 == "." || ("0"..."9").contains($0) || $0 == "_" } }
        return rest.isEmpty
    }

    /// libyaml's `yaml_emitter_analyze_scalar`, for the block context.
    private struct Analysis {
        var blockPlainAllowed = true
        var singleQuotedAllowed = true
        var blockAllowed = true

        init(_ text: String) {
            let scalars = Array(text.unicodeScalars)
            guard !scalars.isEmpty else {
                blockAllowed = false
                return
            }
            var blockIndicators = text.hasPrefix("---") || text.hasPrefix("...")
            var specialCharacters = false, lineBreaks = false
            var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
            var breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false
            var precededByWhitespace = true
            func isBreak(_ scalar: Unicode.Scalar) -> Bool {
                switch scalar {
                case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": true
                default: false
                }
            }
            func isBlankOrEnd(_ index: Int) -> Bool {
                index >= scalars.count || scalars[index] == " " || scalars[index] == "\t" || isBreak(scalars[index])
            }
            for (index, scalar) in scalars.enumerated() {
                let first = index == 0, last = index == scalars.count - 1
                let followedByWhitespace = isBlankOrEnd(index + 1)
                if first {
                    if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(scalar) { blockIndicators = true }
                    if (scalar == "?" || scalar == ":") && followedByWhitespace { blockIndicators = true }
                    if scalar == "-" && followedByWhitespace { blockIndicators = true }
                } else {
                    if scalar == ":" && followedByWhitespace { blockIndicators = true }
                    if scalar == "#" && precededByWhitespace { blockIndicators = true }
                }
                if !Self.isPrintable(scalar) { specialCharacters = true }
                if isBreak(scalar) { lineBreaks = true }
                if scalar == " " {
                    if first { leadingSpace = true }
                    if last { trailingSpace = true }
                    if previousBreak { breakSpace = true }
                    previousSpace = true
                    previousBreak = false
                } else if isBreak(scalar) {
                    if first { leadingBreak = true }
                    if last { trailingBreak = true }
                    if previousSpace { spaceBreak = true }
                    previousBreak = true
                    previousSpace = false
                } else {
                    previousSpace = false
                    previousBreak = false
                }
                precededByWhitespace = scalar == " " || scalar == "\t" || isBreak(scalar)
            }
            if leadingSpace || leadingBreak || trailingSpace || trailingBreak { blockPlainAllowed = false }
            if trailingSpace { blockAllowed = false }
            if breakSpace {
                blockPlainAllowed = false
                singleQuotedAllowed = false
            }
            if spaceBreak || specialCharacters {
                blockPlainAllowed = false
                singleQuotedAllowed = false
                blockAllowed = false
            }
            if lineBreaks || blockIndicators { blockPlainAllowed = false }
        }

        static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x0A, 0x20...0x7E, 0x85, 0xA0...0xD7FF, 0x10000...0x10FFFF: true
            case 0xE000...0xFFFD: scalar.value != 0xFEFF
            default: false
            }
        }
    }

    /// A `|` block: `-` when the text has no final line break, `+` when it has more than one, an
    /// indentation digit when it starts with a space or a line break.
    private static func literal(_ text: String, indent: Int) -> String {
        var header = "|"
        if text.hasPrefix(" ") || text.hasPrefix("\n") { header += "2" }
        if !text.hasSuffix("\n") {
            header += "-"
        } else if text == "\n" || text.hasSuffix("\n\n") {
            header += "+"
        }
        var output = header + "\n"
        let padding = String(repeating: " ", count: indent)
        // Each non-empty line indented, copied whole. A "\n" after "\r" is no line break of its
        // own (the two are one Character), so the line goes on unindented.
        let bytes = text.utf8
        var lineStart = bytes.startIndex
        var previous: UInt8 = 0
        for index in bytes.indices {
            let byte = bytes[index]
            defer { previous = byte }
            guard byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") else { continue }
            if lineStart != index {
                output += padding
                output += text[lineStart..<index]
            }
            output += "\n"
            lineStart = bytes.index(after: index)
        }
        if lineStart != bytes.endIndex {
            output += padding
            output += text[lineStart...]
        }
        if !output.hasSuffix("\n") { output += "\n" }
        return output
    }

    private static func doubleQuoted(_ text: String, _ fold: Fold) -> String {
        var fold = fold
        var output = ""
        fold.write("\"", into: &output)
        let scalars = Array(text.unicodeScalars)
        var afterSpace = false
        for (index, scalar) in scalars.enumerated() {
            if scalar == " " {
                if fold.breaks(afterSpace: afterSpace) && index != 0 && index != scalars.count - 1 {
                    fold.lineBreak(into: &output)
                    // A space that starts the next line would be folded away: escape it.
                    if index + 1 < scalars.count && scalars[index + 1] == " " { fold.write("\\", into: &output) }
                } else {
                    fold.write(" ", into: &output)
                }
                afterSpace = true
                continue
            }
            afterSpace = false
            fold.write(escaped(scalar), into: &output)
        }
        fold.write("\"", into: &output)
        return output
    }

    /// One character of a double-quoted scalar, escaped when it must be.
    private static func escaped(_ scalar: Unicode.Scalar) -> String {
        var output = ""
        switch scalar {
        case "\0": output += "\\0"
        case "\u{7}": output += "\\a"
        case "\u{8}": output += "\\b"
        case "\t": output += "\\t"
        case "\n": output += "\\n"
        case "\u{B}": output += "\\v"
        case "\u{C}": output += "\\f"
        case "\r": output += "\\r"
        case "\u{1B}": output += "\\e"
        case "\"": output += "\\\""
        case "\\": output += "\\\\"
        case "\u{85}": output += "\\N"
        case "\u{A0}": output += "\\_"
        case "\u{2028}": output += "\\L"
        case "\u{2029}": output += "\\P"
        default:
            if Analysis.isPrintable(scalar) && scalar.value != 0xFEFF {
                output.unicodeScalars.append(scalar)
            } else {
                let (prefix, width) = scalar.value <= 0xFF ? ("\\x", 2) : scalar.value <= 0xFFFF ? ("\\u", 4) : ("\\U", 8)
                let digits = String(scalar.value, radix: 16, uppercase: true)
                output += prefix + String(repeating: "0", count: width - digits.count) + digits
            }
        }
        return output
    }

    // MARK: Reading

    /// `yaml.Unmarshal` into a map or a list (Helm's fromYaml/fromYamlArray); errors carry
    /// sigs.k8s.io/yaml's texts.
    static func unmarshal(_ text: String) throws(TemplateError) -> TemplateValue {
        do {
            return try ValuesReader.value(fromYAML: text)
        } catch {
            throw TemplateError("error converting YAML to JSON: \(error.message)")
        }
    }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var output = ""
        for character in self {
            if character == target { output += replacement } else { output.append(character) }
        }
        return output
    }
}

import Foundation

/// Sprig's string functions (strings.go, and the goutils/xstrings helpers it calls). Lengths and
/// offsets count bytes, as Go's do; a cut inside a multi-byte character keeps Go's bytes
/// (decoded with replacement characters).
extension Sprig {
    /// The longest string (in bytes) a function builds: `repeat`, `indent`, `replace`, `wrapWith`,
    /// `regexReplaceAll` and the random strings fail beyond it (a hostile chart could otherwise
    /// ask for gigabytes before the executor's output limit sees anything).
    static let maximumStringLength = 16 << 20

    /// Fails when a result of `size` bytes would pass `maximumStringLength`.
    static func checkLength(_ size: Int, _ c: SprigCall) throws(TemplateError) {
        if size > maximumStringLength { throw c.failure("\(c.name): result larger than \(maximumStringLength) bytes") }
    }

    static var stringFunctions: TemplateFunctions {
        aliases(table([
            fn("trim", 1) { c throws(TemplateError) in .string(goTrimSpace(try c.string(0))) },
            fn("trimAll", 2) { c throws(TemplateError) in .string(trimCutset(try c.string(1), try c.string(0))) },
            fn("trimPrefix", 2) { c throws(TemplateError) in
                let (prefix, text) = (try c.string(0), try c.string(1))
                return .string(hasPrefix(text, prefix) ? String(decoding: text.utf8.dropFirst(prefix.utf8.count), as: UTF8.self) : text)
            },
            fn("trimSuffix", 2) { c throws(TemplateError) in
                let (suffix, text) = (try c.string(0), try c.string(1))
                return .string(hasSuffix(text, suffix) ? String(decoding: text.utf8.dropLast(suffix.utf8.count), as: UTF8.self) : text)
            },
            fn("upper", 1) { c throws(TemplateError) in .string(goUpper(try c.string(0))) },
            fn("lower", 1) { c throws(TemplateError) in .string(goLower(try c.string(0))) },
            fn("title", 1) { c throws(TemplateError) in .string(title(try c.string(0))) },
            fn("untitle", 1) { c throws(TemplateError) in .string(untitle(try c.string(0))) },
            fn("repeat", 2) { c throws(TemplateError) in
                let (count, text) = (try c.int(0), try c.string(1))
                guard count >= 0 else { throw c.failure("strings: negative Repeat count") }
                guard text.isEmpty || count <= maximumStringLength / text.utf8.count else {
                    throw c.failure("repeat: output larger than \(maximumStringLength) bytes")
                }
                // An empty string repeated is empty: `String(repeating:count:)` would still loop `count` times.
                return .string(text.isEmpty ? "" : String(repeating: text, count: count))
            },
            fn("substr", 3) { c throws(TemplateError) in
                try .string(substring(try c.int(0), try c.int(1), try c.string(2), c))
            },
            fn("nospace", 1) { c throws(TemplateError) in
                .string(String(try c.string(0).unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init)))
            },
            fn("trunc", 2) { c throws(TemplateError) in
                let (limit, bytes) = (try c.int(0), Array(try c.string(1).utf8))
                if limit < 0, bytes.count + limit > 0 { return .string(String(decoding: bytes[(bytes.count + limit)...], as: UTF8.self)) }
                if limit >= 0, bytes.count > limit { return .string(String(decoding: bytes[..<limit], as: UTF8.self)) }
                return .string(String(decoding: bytes, as: UTF8.self))
            },
            fn("abbrev", 2) { c throws(TemplateError) in
                let (width, text) = (try c.int(0), try c.string(1))
                return .string(width < 4 ? text : abbreviate(Array(text.utf8), width))
            },
            fn("abbrevboth", 3) { c throws(TemplateError) in
                let (left, right, text) = (try c.int(0), try c.int(1), try c.string(2))
                if right < 4 || (left > 0 && right < 7) { return .string(text) }
                return .string(abbreviateBoth(Array(text.utf8), offset: left, width: right))
            },
            fn("initials", 1) { c throws(TemplateError) in
                .string(String(try c.string(0).split(whereSeparator: { $0.isWhitespace }).compactMap(\.first)))
            },
            fn("randAlphaNum", 1) { c throws(TemplateError) in .string(try random(try c.int(0), from: letters + digits, c)) },
            fn("randAlpha", 1) { c throws(TemplateError) in .string(try random(try c.int(0), from: letters, c)) },
            fn("randAscii", 1) { c throws(TemplateError) in .string(try random(try c.int(0), from: printableASCII, c)) },
            fn("randNumeric", 1) { c throws(TemplateError) in .string(try random(try c.int(0), from: digits, c)) },
            fn("swapcase", 1) { c throws(TemplateError) in
                .string(try c.string(0).map { $0.isUppercase ? goLower(String($0)) : $0.isLowercase ? goUpper(String($0)) : String($0) }.joined())
            },
            fn("shuffle", 1) { c throws(TemplateError) in .string(String(try c.string(0).shuffled())) },
            fn("snakecase", 1) { c throws(TemplateError) in .string(words(try c.string(0)).map(goLower).joined(separator: "_")) },
            fn("kebabcase", 1) { c throws(TemplateError) in .string(words(try c.string(0)).map(goLower).joined(separator: "-")) },
            fn("camelcase", 1) { c throws(TemplateError) in .string(camelCase(try c.string(0))) },
            fn("wrap", 2) { c throws(TemplateError) in .string(wrap(Array(try c.string(1).utf8), width: try c.int(0), newline: "\n", wrapLongWords: false)) },
            fn("wrapWith", 3) { c throws(TemplateError) in
                let (width, newline, text) = (try c.int(0), try c.string(1), try c.string(2))
                try checkLength(text.utf8.count + (text.utf8.count / max(width, 1) + 1) * newline.utf8.count, c)
                return .string(wrap(Array(text.utf8), width: width, newline: newline, wrapLongWords: true))
            },
            fn("contains", 2) { c throws(TemplateError) in
                let (needle, text) = (try c.string(0), try c.string(1))
                return .bool(contains(text, needle))
            },
            fn("hasPrefix", 2) { c throws(TemplateError) in .bool(hasPrefix(try c.string(1), try c.string(0))) },
            fn("hasSuffix", 2) { c throws(TemplateError) in .bool(hasSuffix(try c.string(1), try c.string(0))) },
            fn("quote", nil) { c throws(TemplateError) in
                .string(c.args.filter { $0 != .null }.map { GoQuote.quote(SprigValue.string($0)) }.joined(separator: " "))
            },
            fn("squote", nil) { c throws(TemplateError) in
                .string(c.args.filter { $0 != .null }.map { "'" + SprigValue.string($0) + "'" }.joined(separator: " "))
            },
            fn("cat", nil) { c throws(TemplateError) in
                .string(c.args.filter { $0 != .null }.map { GoFormat.string($0) }.joined(separator: " "))
            },
            fn("indent", 2) { c throws(TemplateError) in .string(try indent(try c.int(0), try c.string(1), c)) },
            fn("nindent", 2) { c throws(TemplateError) in .string("\n" + (try indent(try c.int(0), try c.string(1), c))) },
            fn("replace", 3) { c throws(TemplateError) in
                let (old, new, text) = (try c.string(0), try c.string(1), try c.string(2))
                let matches = old.isEmpty ? text.unicodeScalars.count + 1 : text.components(separatedBy: old).count - 1
                try checkLength(text.utf8.count + matches * (new.utf8.count - old.utf8.count), c)
                return .string(replaceAll(text, old, new))
            },
            fn("plural", 3) { c throws(TemplateError) in
                let (one, many, count) = (try c.string(0), try c.string(1), try c.int(2))
                return .string(count == 1 ? one : many)
            },
            fn("toString", 1) { c in .string(SprigValue.string(c[0])) },
            fn("split", 2) { c throws(TemplateError) in
                let parts = goSplit(try c.string(1), try c.string(0), limit: -1)
                return .map(Dictionary(uniqueKeysWithValues: parts.enumerated().map { ("_\($0.offset)", .string($0.element)) }), type: .init(key: "string", element: "string"))
            },
            fn("splitList", 2) { c throws(TemplateError) in SprigValue.stringList(goSplit(try c.string(1), try c.string(0), limit: -1)) },
            fn("splitn", 3) { c throws(TemplateError) in
                let parts = goSplit(try c.string(2), try c.string(0), limit: try c.int(1))
                return .map(Dictionary(uniqueKeysWithValues: parts.enumerated().map { ("_\($0.offset)", .string($0.element)) }), type: .init(key: "string", element: "string"))
            },
            fn("toStrings", 1) { c in SprigValue.stringList(SprigValue.strings(c[0])) },
            fn("join", 2) { c throws(TemplateError) in .string(SprigValue.strings(c[1]).joined(separator: try c.string(0))) },
            fn("sortAlpha", 1) { c in
                guard SprigValue.items(c[0]) != nil else { return SprigValue.stringList([SprigValue.string(c[0])]) }
                return SprigValue.stringList(SprigValue.strings(c[0]).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            },
        ]), [("trimall", "trimAll")])
    }

    static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    static let digits = Array("0123456789")
    static let printableASCII = (32...126).map { Character(UnicodeScalar(UInt8($0))) }

    static func random(_ count: Int, from alphabet: [Character], _ c: SprigCall) throws(TemplateError) -> String {
        try checkLength(count, c)
        return String((0..<max(0, count)).map { _ in alphabet.randomElement()! })
    }

    /// Go's `strings.ToUpper`/`ToLower`: rune by rune, simple case mapping (a rune whose
    /// mapping is several runes, like "ß", stays as it is).
    static func goUpper(_ text: String) -> String { mapScalars(text) { $0.properties.uppercaseMapping } }
    static func goLower(_ text: String) -> String { mapScalars(text) { $0.properties.lowercaseMapping } }

    private static func mapScalars(_ text: String, _ mapping: (Unicode.Scalar) -> String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let mapped = mapping(scalar).unicodeScalars
            out.append(mapped.count == 1 ? mapped.first! : scalar)
        }
        return String(out)
    }

    /// Go compares bytes; Swift's `hasPrefix` compares characters ("é" does not start with "e").
    static func hasPrefix(_ text: String, _ prefix: String) -> Bool { text.utf8.starts(with: prefix.utf8) }
    static func hasSuffix(_ text: String, _ suffix: String) -> Bool { text.utf8.reversed().starts(with: suffix.utf8.reversed()) }

    /// `strings.TrimSpace`.
    static func goTrimSpace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }

    /// `strings.Trim(text, cutset)`: drop leading and trailing runes found in `cutset`.
    static func trimCutset(_ text: String, _ cutset: String) -> String {
        let set = Set(cutset.unicodeScalars)
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !set.contains($0) })!
        return String(scalars[first...last])
    }

    /// `strings.ReplaceAll`; an empty `old` inserts `new` around every rune, as Go does.
    static func replaceAll(_ text: String, _ old: String, _ new: String) -> String {
        if old.isEmpty {
            return new + text.unicodeScalars.map { String($0) + new }.joined()
        }
        return replacingBytes(text, old, new)
    }

    /// Go's `strings.Replace(text, old, new, -1)` for a non-empty `old`: left to right, matches
    /// not overlapping, over UTF-8 bytes (Foundation's replacement goes through NSString, many
    /// times slower on the short strings templates handle).
    static func replacingBytes(_ text: String, _ old: String, _ new: String) -> String {
        let (source, pattern) = (Array(text.utf8), Array(old.utf8))
        guard let first = pattern.first, source.count >= pattern.count else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(source.count)
        var index = 0
        while index < source.count {
            if source[index] == first, index + pattern.count <= source.count,
               source[index..<(index + pattern.count)].elementsEqual(pattern) {
                out.append(contentsOf: new.utf8)
                index += pattern.count
            } else {
                out.append(source[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `strings.SplitN(text, separator, limit)` (limit < 0: all; 0: none).
    static func goSplit(_ text: String, _ separator: String, limit: Int) -> [String] {
        if limit == 0 { return [] }
        if separator.isEmpty {
            var runes = text.unicodeScalars.map { String($0) }
            if limit > 0, runes.count > limit {
                runes = Array(runes[..<(limit - 1)]) + [String(text.unicodeScalars.dropFirst(limit - 1))]
            }
            return runes
        }
        var parts: [String] = []
        var rest = Substring(text)
        while limit < 0 || parts.count < limit - 1, let range = rest.range(of: separator, options: .literal) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }

    /// Go's `s[start:end]` under Sprig's `substring` rules; out of range is Go's panic.
    static func substring(_ start: Int, _ end: Int, _ text: String, _ c: SprigCall) throws(TemplateError) -> String {
        let bytes = Array(text.utf8)
        let (from, to) = start < 0 ? (0, end) : (end < 0 || end > bytes.count) ? (start, bytes.count) : (start, end)
        guard from >= 0, from <= to, to <= bytes.count else {
            throw c.failure("runtime error: slice bounds out of range [\(from):\(to)]")
        }
        return String(decoding: bytes[from..<to], as: UTF8.self)
    }

    /// `strings.Title`: upper-case the first letter of each word. Words split at ASCII other
    /// than letters, digits and `_` (so "don't" is "Don'T"), and at non-ASCII spaces.
    static func title(_ text: String) -> String {
        var previous: Character = " "
        return text.map { character in
            defer { previous = character }
            let separator = previous.isASCII
                ? !(previous.isLetter || previous.isNumber || previous == "_")
                : !(previous.isLetter || previous.isNumber) && previous.isWhitespace
            return separator ? goUpper(String(character)) : String(character)
        }.joined()
    }

    /// goutils `Uncapitalize`: lower-case the first letter of each whitespace-separated word.
    static func untitle(_ text: String) -> String {
        var previous: Character = " "
        return text.map { character in
            defer { previous = character }
            return previous.isWhitespace ? goLower(String(character)) : String(character)
        }.joined()
    }

    static func indent(_ spaces: Int, _ text: String, _ c: SprigCall) throws(TemplateError) -> String {
        let lines = text.utf8.count { $0 == UInt8(ascii: "\n") } + 1
        guard spaces <= maximumStringLength else { throw c.failure("\(c.name): result larger than \(maximumStringLength) bytes") }
        try checkLength(text.utf8.count + lines * max(0, spaces), c)
        let pad = String(repeating: " ", count: max(0, spaces))
        return pad + replacingBytes(text, "\n", "\n" + pad)
    }

    /// goutils `Abbreviate`: the first `width - 3` bytes and "...".
    static func abbreviate(_ bytes: [UInt8], _ width: Int) -> String {
        if bytes.count <= width { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes[..<(width - 3)], as: UTF8.self) + "..."
    }

    /// goutils `AbbreviateFull`: "..." on both sides around the window starting at `offset`.
    static func abbreviateBoth(_ bytes: [UInt8], offset start: Int, width: Int) -> String {
        if bytes.isEmpty || bytes.count <= width { return String(decoding: bytes, as: UTF8.self) }
        var offset = min(start, bytes.count)
        if bytes.count - offset < width - 3 { offset = bytes.count - (width - 3) }
        if offset <= 4 { return String(decoding: bytes[..<(width - 3)], as: UTF8.self) + "..." }
        if offset + width - 3 < bytes.count { return "..." + abbreviate(Array(bytes[offset...]), width - 3) }
        return "..." + String(decoding: bytes[(bytes.count - (width - 3))...], as: UTF8.self)
    }

    /// goutils `WrapCustom`, byte for byte (including its offset arithmetic for a long word
    /// that is not wrapped).
    static func wrap(_ bytes: [UInt8], width requested: Int, newline: String, wrapLongWords: Bool) -> String {
        if bytes.isEmpty { return "" }
        let newline = newline.isEmpty ? "\n" : newline
        let width = max(1, requested)
        var out = ""
        var offset = 0
        func text(_ from: Int, _ to: Int) -> String { String(decoding: bytes[from..<to], as: UTF8.self) }
        while bytes.count - offset > width {
            if bytes[offset] == UInt8(ascii: " ") { offset += 1; continue }
            let end = min(width + offset + 1, bytes.count)
            if let space = bytes[offset..<end].lastIndex(of: UInt8(ascii: " ")) {
                out += text(offset, space) + newline
                offset = space + 1
            } else if wrapLongWords {
                out += text(offset, offset + width) + newline
                offset += width
            } else if let index = bytes[(offset + width)...].firstIndex(of: UInt8(ascii: " ")) {
                let space = index - (offset + width) + width
                out += text(offset, space) + newline
                offset = space + 1
            } else {
                out += text(offset, bytes.count)
                offset = bytes.count
            }
        }
        return out + text(offset, bytes.count)
    }

    /// Words for snakecase/kebabcase (xstrings): split at non-alphanumerics, at a lower-to-upper
    /// change, and before the last capital of a capital run followed by a lower-case letter
    /// (`HTTPServer` -> HTTP, Server); digits stay with the word before them.
    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current: [Character] = []
        let characters = Array(text)
        for (index, character) in characters.enumerated() {
            guard character.isLetter || character.isNumber else {
                if !current.isEmpty { words.append(String(current)); current = [] }
                continue
            }
            if let previous = current.last, character.isUppercase {
                let next = index + 1 < characters.count ? characters[index + 1] : nil
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && next?.isLowercase == true) {
                    words.append(String(current))
                    current = []
                }
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// xstrings `ToCamelCase`: connectors (`_`, `-`, spaces) dropped and the next letter
    /// upper-cased; leading connectors and a trailing one kept; a run of connectors keeps one.
    static func camelCase(_ text: String) -> String {
        func isConnector(_ c: Character) -> Bool { c == "_" || c == "-" || c.isWhitespace }
        var characters = Array(text)[...]
        var out = ""
        var current: Character?
        while let first = characters.popFirst() {
            if !isConnector(first) { current = first; break }
            out.append(first)
        }
        guard let first = current else { return out }
        var r0 = goUpper(String(first))
        while let next = characters.popFirst() {
            let r1 = r0
            r0 = String(next)
            let (connector0, connector1) = (isConnector(next), r1.count == 1 && isConnector(r1.first!))
            if connector0 && connector1 { out += r1; continue }
            if connector1 { r0 = goUpper(r0) } else { out += r1 }
        }
        return out + r0
    }
}

extension Sprig {
    /// Go's `strings.Contains`, on bytes (Helm's `tplvalues.render` asks it of every value's JSON).
    static func contains(_ text: String, _ needle: String) -> Bool {
        let wanted = Array(needle.utf8)
        guard let first = wanted.first else { return true }
        var text = text
        return text.withUTF8 { haystack in
            guard haystack.count >= wanted.count else { return false }
            for start in 0...(haystack.count - wanted.count) where haystack[start] == first {
                if haystack[start..<start + wanted.count].elementsEqual(wanted) { return true }
            }
            return false
        }
    }
}

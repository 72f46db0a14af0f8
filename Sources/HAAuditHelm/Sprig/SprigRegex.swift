import Foundation
import Synchronization

/// Sprig's regex functions (regex.go) over NSRegularExpression (ICU). Go uses RE2; the syntax
/// charts use is common to both; `icuPattern` bridges the two differences that change results
/// (`(?P<name>` and `$`). ICU backtracks, so a pathological pattern is slow where RE2 is
/// linear. Go's rules on top of the
/// matcher are kept: an empty match right after a match is skipped, `$1`/`${1}`/`$name`
/// expansion takes the longest name (`$1W` is the group "1W", empty), `Split`'s edge cases.
extension Sprig {
    static var regexFunctions: TemplateFunctions {
        var functions = table([
            fn("regexQuoteMeta", 1) { c throws(TemplateError) in
                .string(String(try c.string(0).flatMap { #"\.+*?()|[]{}^$"#.contains($0) ? ["\\", $0] : [$0] }))
            },
            // The plain form swallows a bad pattern (false); the must form fails.
            fn("regexMatch", 2) { c throws(TemplateError) in
                let (pattern, text) = (try c.string(0), try c.string(1))
                return .bool((try? matches(compile(pattern, c), text, limit: 1).isEmpty == false) ?? false)
            },
            fn("mustRegexMatch", 2) { c throws(TemplateError) in
                .bool(!matches(try compile(try c.string(0), c), try c.string(1), limit: 1).isEmpty)
            },
        ])
        let pairs: [(String, Int, Body)] = [
            ("regexFindAll", 3, { c throws(TemplateError) in
                let text = try c.string(1)
                let found = matches(try compile(try c.string(0), c), text, limit: try c.int(2))
                return SprigValue.stringList(found.map { substring(text, $0.range) })
            }),
            ("regexFind", 2, { c throws(TemplateError) in
                let text = try c.string(1)
                return .string(matches(try compile(try c.string(0), c), text, limit: 1).first.map { substring(text, $0.range) } ?? "")
            }),
            ("regexReplaceAll", 3, { c throws(TemplateError) in
                let (regex, template) = (try compile(try c.string(0), c), try c.string(2))
                return .string(try replace(regex, try c.string(1), c) { expand(template, $0, $1, regex) })
            }),
            ("regexReplaceAllLiteral", 3, { c throws(TemplateError) in
                let replacement = try c.string(2)
                return .string(try replace(try compile(try c.string(0), c), try c.string(1), c) { _, _ in replacement })
            }),
            ("regexSplit", 3, { c throws(TemplateError) in
                SprigValue.stringList(split(try compile(try c.string(0), c), try c.string(1), limit: try c.int(2)))
            }),
        ]
        for (name, arity, body) in pairs {
            functions[name] = fn(name, arity, body).1
            let must = "must" + name.prefix(1).uppercased() + name.dropFirst()
            functions[must] = fn(must, arity, body).1
        }
        return functions
    }

    static func compile(_ pattern: String, _ c: SprigCall) throws(TemplateError) -> NSRegularExpression {
        if let regex = RegexCache.shared.regexes.withLock({ $0[pattern] }) { return regex }
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: icuPattern(pattern))
        } catch {
            throw c.failure("error parsing regexp: invalid pattern: `\(pattern)`")
        }
        RegexCache.shared.regexes.withLock { cache in
            if cache.count >= RegexCache.capacity { cache.removeAll() }
            cache[pattern] = regex
        }
        return regex
    }

    /// Compiled patterns by RE2 source: ICU's compilation (building Unicode sets) costs far more
    /// than matching the short strings charts pass, and a chart's helpers use the same few
    /// patterns on every include. An NSRegularExpression is immutable, safe to share.
    final class RegexCache: @unchecked Sendable {
        static let shared = RegexCache()
        /// Bounds the memory hostile templates can pin with distinct patterns: emptied when full.
        static let capacity = 256
        let regexes = Mutex<[String: NSRegularExpression]>([:])

        /// ICU builds its regex machinery's shared sets on a process's first compilation, about
        /// a millisecond whatever the pattern: started once on another thread, it overlaps the
        /// work before a template's first regex call (which waits for it if it is not done).
        static func prepareInBackground() { _ = preparation }

        private static let preparation: Void = Thread.detachNewThread { _ = try? NSRegularExpression(pattern: "a") }
    }

    /// RE2 syntax in ICU's: `(?P<name>` is `(?<name>`; without multi-line mode RE2's `$` is the
    /// end of the text only, ICU's `$` would also match before a final newline, so it becomes
    /// `\z` (outside character classes and escapes, unless the pattern sets `m`). RE2's Perl
    /// classes (`\d`, `\w`, `\s` and their negations) are ASCII; ICU's are Unicode, and building
    /// their sets is most of a compilation: they become the ASCII classes they are in RE2.
    static func icuPattern(_ pattern: String) -> String {
        // Foundation's replacing is costly on first use; most patterns name no group.
        let renamed = pattern.utf8.contains(UInt8(ascii: "P")) ? pattern.replacingOccurrences(of: "(?P<", with: "(?<", options: .literal) : pattern
        let multiLine = setsMultiLine(renamed)
        var out = ""
        var (escaped, inClass, quoted) = (false, false, false)
        for character in renamed {
            if quoted {
                // `\Q…\E` is literal text: only its end is looked for.
                quoted = !(escaped && character == "E")
                escaped = !escaped && character == "\\"
            } else if escaped {
                escaped = false
                quoted = character == "Q"
                // Inside a bracket class a negated one stays ICU's.
                if let (members, negated) = perlClass(character), !(negated && inClass) {
                    out.removeLast()
                    out += inClass ? members : negated ? "[^\(members)]" : "[\(members)]"
                    continue
                }
            } else if character == "\\" {
                escaped = true
            } else if inClass {
                inClass = character != "]"
            } else if character == "[" {
                inClass = true
            } else if character == "$", !multiLine {
                out += #"\z"#
                continue
            }
            out.append(character)
        }
        return out
    }

    /// The RE2 Perl class an escaped letter names, as members of an ICU bracket class.
    private static func perlClass(_ letter: Character) -> (members: String, negated: Bool)? {
        switch letter {
        case "d", "D": ("0-9", letter == "D")
        case "w", "W": ("0-9A-Za-z_", letter == "W")
        case "s", "S": (#"\t\n\f\r "#, letter == "S")
        default: nil
        }
    }

    /// Whether the pattern holds a flag group setting `m`: `(?m)`, `(?im:…)` (`\(\?[a-zA-Z]*m`).
    static func setsMultiLine(_ pattern: String) -> Bool {
        let bytes = Array(pattern.utf8)
        var index = 0
        while index + 1 < bytes.count {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "("), bytes[index + 1] == UInt8(ascii: "?") else { continue }
            var flag = index + 2
            while flag < bytes.count, (bytes[flag] | 0x20) >= UInt8(ascii: "a"), (bytes[flag] | 0x20) <= UInt8(ascii: "z") {
                if bytes[flag] == UInt8(ascii: "m") { return true }
                flag += 1
            }
        }
        return false
    }

    /// Go's `FindAll` semantics: at most `limit` matches (all when negative), an empty match
    /// abutting the previous match skipped.
    static func matches(_ regex: NSRegularExpression, _ text: String, limit: Int) -> [NSTextCheckingResult] {
        if limit == 0 { return [] }
        var found: [NSTextCheckingResult] = []
        var previousEnd = -1
        for match in regex.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length)) {
            if match.range.length == 0, match.range.location == previousEnd { continue }
            found.append(match)
            previousEnd = match.range.location + match.range.length
            if limit > 0, found.count == limit { break }
        }
        return found
    }

    static func substring(_ text: String, _ range: NSRange) -> String {
        range.location == NSNotFound ? "" : (text as NSString).substring(with: range)
    }

    private static func replace(
        _ regex: NSRegularExpression, _ text: String, _ c: SprigCall, _ replacement: (String, NSTextCheckingResult) -> String
    ) throws(TemplateError) -> String {
        let source = text as NSString
        var out = ""
        var last = 0
        for match in matches(regex, text, limit: -1) {
            out += source.substring(with: NSRange(location: last, length: match.range.location - last))
            out += replacement(text, match)
            try checkLength(out.utf8.count, c)
            last = match.range.location + match.range.length
        }
        return out + source.substring(from: last)
    }

    /// Go's `Regexp.Expand`: `$$` is `$`; `$name`/`${name}` the group by number or name (empty
    /// when there is none); a malformed `$` stays as is.
    static func expand(_ template: String, _ text: String, _ match: NSTextCheckingResult, _ regex: NSRegularExpression) -> String {
        var out = ""
        var rest = Substring(template)
        func isNameCharacter(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber || c == "_") }
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.hasPrefix("$") { out += "$"; rest = rest.dropFirst(); continue }
            var name: Substring
            if rest.hasPrefix("{"), let close = rest.firstIndex(of: "}"),
               case let inner = rest[rest.index(after: rest.startIndex)..<close], !inner.isEmpty, inner.allSatisfy(isNameCharacter) {
                name = inner
                rest = rest[rest.index(after: close)...]
            } else {
                name = rest.prefix(while: isNameCharacter)
                guard !name.isEmpty else { out += "$"; continue }
                rest = rest.dropFirst(name.count)
            }
            let range: NSRange
            if let number = Int(name) {
                guard number < match.numberOfRanges else { continue }
                range = match.range(at: number)
            } else if regex.pattern.contains("(?<\(name)>") {
                range = match.range(withName: String(name))
            } else {
                continue
            }
            out += substring(text, range)
        }
        return out + rest
    }

    /// Go's `Regexp.Split`.
    private static func split(_ regex: NSRegularExpression, _ text: String, limit: Int) -> [String] {
        if limit == 0 { return [] }
        if !regex.pattern.isEmpty, text.isEmpty { return [""] }
        let source = text as NSString
        var parts: [String] = []
        var (begin, end) = (0, 0)
        for match in matches(regex, text, limit: limit) {
            if limit > 0, parts.count == limit - 1 { break }
            end = match.range.location
            if match.range.location + match.range.length != 0 {
                parts.append(source.substring(with: NSRange(location: begin, length: end - begin)))
            }
            begin = match.range.location + match.range.length
        }
        if end != source.length { parts.append(source.substring(from: begin)) }
        return parts
    }
}

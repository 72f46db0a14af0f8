/// Sprig's path helpers (Go's `path`; the `os` forms are `path/filepath`, the same on Unix) and
/// URL helpers (url.go, over Go's `net/url`).
extension Sprig {
    static var pathFunctions: TemplateFunctions {
        var functions = table([
            fn("base", 1) { c throws(TemplateError) in .string(base(try c.string(0))) },
            fn("dir", 1) { c throws(TemplateError) in .string(dir(try c.string(0))) },
            fn("clean", 1) { c throws(TemplateError) in .string(clean(try c.string(0))) },
            fn("ext", 1) { c throws(TemplateError) in .string(ext(try c.string(0))) },
            fn("isAbs", 1) { c throws(TemplateError) in .bool(try c.string(0).hasPrefix("/")) },
            fn("urlParse", 1) { c throws(TemplateError) in try urlParse(try c.string(0), c) },
            fn("urlJoin", 1) { c throws(TemplateError) in
                guard case .map(let entries, _) = c[0] else { throw c.wrongType("map[string]interface {}", c[0]) }
                return .string(urlJoin(entries))
            },
        ])
        for name in ["base", "dir", "clean", "ext", "isAbs"] {
            functions["os" + name.prefix(1).uppercased() + name.dropFirst()] = functions[name]
        }
        return functions
    }

    /// `path.Clean`: one slash between elements, no `.`, `..` resolved, "." for empty.
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." { parts.removeLast() }
                else if !rooted { parts.append(part) }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var trimmed = Substring(path)
        while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        if trimmed == "/" { return "/" }
        if let slash = trimmed.lastIndex(of: "/") { return String(trimmed[trimmed.index(after: slash)...]) }
        return String(trimmed)
    }

    static func dir(_ path: String) -> String {
        let head = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        return clean(head)
    }

    static func ext(_ path: String) -> String {
        for index in path.indices.reversed() {
            if path[index] == "/" { return "" }
            if path[index] == "." { return String(path[index...]) }
        }
        return ""
    }

    /// The parts of a URL as Go's `url.Parse` splits them (path and fragment unescaped).
    static func urlParse(_ text: String, _ c: SprigCall) throws(TemplateError) -> TemplateValue {
        var rest = Substring(text)
        var fragment = ""
        if let hash = rest.firstIndex(of: "#") {
            fragment = percentDecode(String(rest[rest.index(after: hash)...])) ?? ""
            rest = rest[..<hash]
        }
        var scheme = ""
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isASCII, first.isLetter,
           rest[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        var (host, userinfo, opaque) = ("", "", "")
        if !scheme.isEmpty, !rest.hasPrefix("/") {
            opaque = String(rest)
            rest = ""
        } else if rest.hasPrefix("//") {
            let authorityEnd = rest.dropFirst(2).firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[rest.index(rest.startIndex, offsetBy: 2)..<authorityEnd]
            rest = rest[authorityEnd...]
            if let at = authority.lastIndex(of: "@") {
                userinfo = authority[..<at].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
                    .map { escape(percentDecode(String($0)) ?? String($0), keeping: userinfoSafe) }
                    .joined(separator: ":")
                authority = authority[authority.index(after: at)...]
            }
            host = String(authority)
        }
        guard let path = percentDecode(String(rest)) else { throw c.failure("unable to parse url: invalid URL escape") }
        var hostname = host
        if hostname.hasPrefix("["), let close = hostname.firstIndex(of: "]") {
            hostname = String(hostname[hostname.index(after: hostname.startIndex)..<close])
        } else if let colon = hostname.lastIndex(of: ":") {
            hostname = String(hostname[..<colon])
        }
        return .map([
            "scheme": .string(scheme), "host": .string(host), "hostname": .string(hostname), "path": .string(path),
            "query": .string(query), "opaque": .string(opaque), "fragment": .string(fragment), "userinfo": .string(userinfo),
        ])
    }

    /// Go's `url.URL.String()` of the parts `urlParse` gives.
    static func urlJoin(_ parts: [String: TemplateValue]) -> String {
        func part(_ key: String) -> String { parts[key].map(SprigValue.string) ?? "" }
        let (scheme, host, path, query, opaque, fragment, userinfo) =
            (part("scheme"), part("host"), part("path"), part("query"), part("opaque"), part("fragment"), part("userinfo"))
        var out = scheme.isEmpty ? "" : scheme + ":"
        if !opaque.isEmpty {
            out += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || !userinfo.isEmpty {
                if !host.isEmpty || !path.isEmpty || !userinfo.isEmpty { out += "//" }
                if !userinfo.isEmpty { out += userinfo + "@" }
                out += host
            }
            let escapedPath = escape(path, keeping: pathSafe)
            if !escapedPath.isEmpty, !escapedPath.hasPrefix("/"), !host.isEmpty { out += "/" }
            out += escapedPath
        }
        if !query.isEmpty { out += "?" + query }
        if !fragment.isEmpty { out += "#" + escape(fragment, keeping: fragmentSafe) }
        return out
    }

    private static let unreserved = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~".utf8)
    private static let pathSafe = unreserved.union("$&+,/:;=@".utf8)
    private static let fragmentSafe = unreserved.union("$&+,/:;=?@!()*".utf8)
    private static let userinfoSafe = unreserved.union("$&+,;=".utf8)

    private static func escape(_ text: String, keeping safe: Set<UInt8>) -> String {
        var out = ""
        for byte in text.utf8 {
            if safe.contains(byte) { out.unicodeScalars.append(Unicode.Scalar(byte)) }
            else { out += "%" + SprigValue.hex([byte]).uppercased() }
        }
        return out
    }

    private static func percentDecode(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8)[...]
        while let byte = iterator.popFirst() {
            guard byte == UInt8(ascii: "%") else { bytes.append(byte); continue }
            guard iterator.count >= 2, let value = UInt8(String(decoding: iterator.prefix(2), as: UTF8.self), radix: 16) else { return nil }
            bytes.append(value)
            iterator = iterator.dropFirst(2)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Go's numeric literal rules (strconv.ParseInt/ParseUint/ParseFloat with base 0, as the
/// template parser uses them): prefixes 0x 0o 0b and a bare leading 0 for octal, `_` between
/// digits, hex floats with a `p` exponent.
enum GoNumber {
    /// Go's `underscoreOK`: underscores only between digits (or after a base prefix).
    static func underscoresOK(_ text: Substring) -> Bool {
        var saw: Character = "^"
        var body = text
        if let first = body.first, first == "+" || first == "-" { body = body.dropFirst() }
        var hex = false
        let chars = Array(body)
        var index = 0
        if chars.count >= 2, chars[0] == "0", "bBoOxX".contains(chars[1]) {
            index = 2
            saw = "0"
            hex = chars[1] == "x" || chars[1] == "X"
        }
        while index < chars.count {
            let char = chars[index]
            if char.isASCII && (char.isNumber || (hex && char.isHexDigit)) {
                saw = "0"
            } else if char == "_" {
                if saw != "0" { return false }
                saw = "_"
            } else {
                if saw == "_" { return false }
                saw = "!"
            }
            index += 1
        }
        return saw != "_"
    }

    /// The magnitude of an unsigned literal (no sign), base from its prefix.
    static func parseUnsigned(_ text: Substring) -> UInt64? {
        guard !text.isEmpty else { return nil }
        var digits = text
        var radix = 10
        if digits.count >= 2, digits.first == "0" {
            let marker = digits[digits.index(after: digits.startIndex)]
            switch marker {
            case "x", "X": radix = 16; digits = digits.dropFirst(2)
            case "o", "O": radix = 8; digits = digits.dropFirst(2)
            case "b", "B": radix = 2; digits = digits.dropFirst(2)
            default: radix = 8; digits = digits.dropFirst(1)
            }
        }
        if text.contains("_") && !underscoresOK(text) { return nil }
        let clean = digits.filter { $0 != "_" }
        guard !clean.isEmpty || radix == 8 else { return nil }
        if clean.isEmpty { return 0 }
        return UInt64(clean, radix: radix)
    }

    /// `strconv.ParseInt(text, 0, 64)`.
    static func parseInt(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if let first = body.first, first == "+" || first == "-" {
            negative = first == "-"
            body = body.dropFirst()
        }
        guard let magnitude = parseUnsigned(body) else { return nil }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            guard magnitude <= UInt64(Int64.max) else { return nil }
            return -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }

    /// `strconv.ParseUint(text, 0, 64)`: no sign allowed.
    static func parseUint(_ text: String) -> UInt64? {
        if let first = text.first, first == "+" || first == "-" { return nil }
        return parseUnsigned(Substring(text))
    }

    /// `strconv.ParseFloat(text, 64)` for the literals the lexer produces.
    static func parseFloat(_ text: String) -> Double? {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isHexDigit || "+-._xXpP".contains($0)) }) else { return nil }
        if text.contains("_") && !underscoresOK(Substring(text)) { return nil }
        var clean = text.filter { $0 != "_" }
        var sign = ""
        if let first = clean.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            clean.removeFirst()
        }
        let lower = clean.lowercased()
        if lower.hasPrefix("0x") {
            // A hex mantissa needs a binary exponent.
            guard lower.contains("p") else { return nil }
            return Double(sign + clean)
        }
        guard !lower.contains("x"), !lower.contains("p"), lower.first != "e" else { return nil }
        guard lower.allSatisfy({ $0.isNumber || $0 == "." || $0 == "e" || $0 == "+" || $0 == "-" }) else { return nil }
        return Double(sign + (clean.hasPrefix(".") ? "0" + clean : clean))
    }
}

extension NumberNode {
    /// Go's `newNumber`: the representations a constant fits.
    static func parse(position: Int, text: String, kind: TemplateToken.Kind) throws(TemplateError) -> NumberNode {
        var node = NumberNode(position: position, text: text)
        switch kind {
        case .charConstant:
            let scalars = Array(text.unicodeScalars)
            guard scalars.count >= 3, let (bytes, next) = GoQuote.unquoteChar(scalars, 1, quote: "'"),
                  let rune = String(decoding: bytes, as: UTF8.self).unicodeScalars.first else {
                throw TemplateError("invalid syntax")
            }
            guard next == scalars.count - 1 else { throw TemplateError("malformed character constant: \(text)") }
            node.isInt = true; node.int64 = Int64(rune.value)
            node.isUint = true; node.uint64 = UInt64(rune.value)
            node.isFloat = true; node.float64 = Double(rune.value)
            return node
        case .complex:
            guard let value = parseComplex(text) else { throw TemplateError("expected integer") }
            node.isComplex = true
            node.complex = value
            node.simplifyComplex()
            return node
        default:
            break
        }
        // Imaginary constants are complex unless zero.
        if text.hasSuffix("i"), let imaginary = GoNumber.parseFloat(String(text.dropLast())) {
            node.isComplex = true
            node.complex = (0, imaginary)
            node.simplifyComplex()
            return node
        }
        let unsigned = GoNumber.parseUint(text)
        if let unsigned {
            node.isUint = true
            node.uint64 = unsigned
        }
        if let signed = GoNumber.parseInt(text) {
            node.isInt = true
            node.int64 = signed
            if signed == 0 {
                // -0 and the like.
                node.isUint = true
                node.uint64 = 0
            }
        }
        if node.isInt {
            node.isFloat = true
            node.float64 = Double(node.int64)
        } else if node.isUint {
            node.isFloat = true
            node.float64 = Double(node.uint64)
        } else if let float = GoNumber.parseFloat(text) {
            // A float that looks like an integer is an integer too large for 64 bits.
            if !text.contains(where: { ".eEpP".contains($0) }) { throw TemplateError("integer overflow: \(text)") }
            node.isFloat = true
            node.float64 = float
            if let exact = Int64(exactly: float) { node.isInt = true; node.int64 = exact }
            if let exact = UInt64(exactly: float) { node.isUint = true; node.uint64 = exact }
        }
        if !node.isInt && !node.isUint && !node.isFloat { throw TemplateError("illegal number syntax: \(GoQuote.quote(text))") }
        return node
    }

    /// `re+imi` or `re-imi`.
    static func parseComplex(_ text: String) -> (Double, Double)? {
        let chars = Array(text)
        guard chars.last == "i" else { return nil }
        var split: Int?
        for index in stride(from: chars.count - 2, to: 0, by: -1) where chars[index] == "+" || chars[index] == "-" {
            let before = chars[index - 1]
            if before == "e" || before == "E" || before == "p" || before == "P" { continue }
            split = index
            break
        }
        guard let split, let real = GoNumber.parseFloat(String(chars[..<split])),
              let imaginary = GoNumber.parseFloat(String(chars[split..<(chars.count - 1)])) else { return nil }
        return (real, imaginary)
    }

    mutating func simplifyComplex() {
        isFloat = complex.imaginary == 0
        if isFloat {
            float64 = complex.real
            if let exact = Int64(exactly: float64) { isInt = true; int64 = exact }
            if let exact = UInt64(exactly: float64) { isUint = true; uint64 = exact }
        }
    }
}

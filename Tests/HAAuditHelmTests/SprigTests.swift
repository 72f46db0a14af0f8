import Foundation
import Testing
@testable import HAAuditHelm

/// Sprig's functions called directly (the conformance rows run them through templates).
@Suite("Sprig functions")
struct SprigTests {
    /// Local time is UTC, as the conformance rows run (Foundation renames a zone made as "UTC"
    /// to "GMT"; "Etc/UTC" keeps Go's name).
    static let functions = Sprig.functions(localZone: TimeZone(identifier: "Etc/UTC")!)

    func call(_ name: String, _ args: TemplateValue...) throws -> TemplateValue {
        try #require(Self.functions[name]).call(args)
    }

    func text(_ name: String, _ args: TemplateValue...) throws -> String {
        GoFormat.string(try #require(Self.functions[name]).call(args))
    }

    func int(_ value: Int64) -> TemplateValue { .int(value, .int) }

    @Test func helmDropsTheEnvironment() {
        #expect(Self.functions["env"] == nil && Self.functions["expandenv"] == nil)
        #expect(Self.functions["tuple"] != nil && Self.functions["date_in_zone"] != nil && Self.functions["biggest"] != nil)
    }

    @Test func digests() throws {
        #expect(try text("sha1sum", .string("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(try text("sha256sum", .string("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try text("sha256sum", .string("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try text("sha512sum", .string("abc")).hasPrefix("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"))
        #expect(try text("adler32sum", .string("abc")) == "38600999")
        #expect(try text("htpasswd", .string("mySahUser"), .string("myShaPassword"), .string("sha")) == "mySahUser:{SHA}2C1bZDUdiuMgec/S9ra/kXN8r6E=")
        // FIPS 197's AES-256 example, and a ciphertext made the way Sprig makes it (key
        // "secretkey" zero-padded, IV 00..0f; by `openssl enc -aes-256-cbc`).
        let aes = AES256(key: (0..<32).map(UInt8.init))
        let block = aes.encrypt([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff])
        #expect(SprigValue.hex(block) == "8ea2b7ca516745bfeafc49904b496089")
        #expect(SprigValue.hex(aes.decrypt(block)) == "00112233445566778899aabbccddeeff")
        #expect(try text("encryptAES", .string("k"), .string("")) == "")
        #expect(try text("decryptAES", .string("secretkey"), .string("AAECAwQFBgcICQoLDA0OD4aChIkqfhLglmmHSXlA6r0=")) == "plaintext")
        // RFC 7914's first scrypt test vector.
        #expect(SprigValue.hex(Scrypt.derive(password: [], salt: [], n: 16, r: 1, p: 1, length: 64))
            == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906")
        let sealed = try call("encryptAES", .string("secretkey"), .string("plaintext"))
        #expect(try call("decryptAES", .string("secretkey"), sealed) == .string("plaintext"))
    }

    @Test func encodings() throws {
        #expect(try text("b64enc", .string("coffee")) == "Y29mZmVl")
        #expect(try text("b64dec", .string("Y29mZmVl")) == "coffee")
        #expect(try text("b64dec", .string("Y29m!")) == "illegal base64 data at input byte 4")
        #expect(try text("b32enc", .string("coffee")) == "MNXWMZTFMU======")
        #expect(try text("b32dec", .string("MNXWMZTFMU======")) == "coffee")
        let top: TemplateValue = .map(["bool": .bool(true), "string": .string("test"), "number": int(42), "html": .string("<HEAD>"), "f": .float(1e21)])
        #expect(try text("toJson", top) == #"{"bool":true,"f":1e+21,"html":"\u003cHEAD\u003e","number":42,"string":"test"}"#)
        #expect(try text("toRawJson", top) == #"{"bool":true,"f":1e+21,"html":"<HEAD>","number":42,"string":"test"}"#)
        #expect(try text("toPrettyJson", .map(["a": .list([int(1)]), "b": .map([:])])) == "{\n  \"a\": [\n    1\n  ],\n  \"b\": {}\n}")
        #expect(try text("fromJson", .string(#"{"foo": 55, "l": [1.5, "x", null]}"#)) == "map[foo:55 l:[1.5 x <nil>]]")
        #expect(try call("fromJson", .string("{bad")) == .null)
        #expect(throws: TemplateError.self) { try call("mustFromJson", .string("{bad")) }
    }

    @Test func strings() throws {
        #expect(try text("trunc", int(-3), .string("baaaaaar")) == "aar")
        #expect(try text("substr", int(0), int(10), .string("foo")) == "foo")
        #expect(try text("abbrev", int(5), .string("hello world")) == "he...")
        #expect(try text("abbrevboth", int(5), int(10), .string("1234 5678 9123")) == "...5678...")
        #expect(try text("wrap", int(5), .string("Hello World")) == "Hello\nWorld")
        #expect(try text("wrapWith", int(5), .string("\t"), .string("Hello World")) == "Hello\tWorld")
        #expect(try text("quote", .string("\"a\""), .null, int(2)) == #""\"a\"" "2""#)
        #expect(try text("cat", .string("a"), .null, .string("b")) == "a b")
        #expect(try text("nindent", int(2), .string("a\nb")) == "\n  a\n  b")
        #expect(try text("snakecase", .string("HTTPServer")) == "http_server")
        #expect(try text("snakecase", .string("NoHTTPS")) == "no_https")
        #expect(try text("kebabcase", .string("GO PATH")) == "go-path")
        #expect(try text("camelcase", .string("_complex__case_")) == "_Complex_Case_")
        #expect(try text("title", .string("hello world-foo don't")) == "Hello World-Foo Don'T")
        #expect(try text("untitle", .string("First Try")) == "first try")
        #expect(try text("initials", .string("First Try")) == "FT")
        #expect(try text("swapcase", .string("aB")) == "Ab")
        #expect(try text("upper", .string("straße")) == "STRAßE")
        #expect(try text("title", .string("ßa")) == "ßa" && text("camelcase", .string("ß_ß")) == "ßß")
        #expect(try text("splitn", .string("$"), int(2), .string("foo$bar$baz")) == "map[_0:foo _1:bar$baz]")
        #expect(try text("join", .string("-"), .list([.string("1"), .null, .string("2")])) == "1-2")
        #expect(try text("sortAlpha", .list([int(2), int(1)])) == "[1 2]")
        #expect(try text("randAlphaNum", int(5)).count == 5)
        #expect(try text("plural", .string("one"), .string("many"), int(2)) == "many")
        #expect(try text("repeat", int(3), .string("ab")) == "ababab")
        #expect(throws: TemplateError.self) { try call("repeat", int(1 << 40), .string("ab")) }
        #expect(throws: TemplateError.self) { try call("indent", int(1 << 20), .string(String(repeating: "\n", count: 100))) }
        #expect(throws: TemplateError.self) { try call("replace", .string(""), .string(String(repeating: "x", count: 1 << 20)), .string(String(repeating: "y", count: 100))) }
        #expect(throws: TemplateError.self) { try call("regexReplaceAll", .string("y"), .string(String(repeating: "y", count: 1 << 10)), .string(String(repeating: "x", count: 1 << 15))) }
        #expect(throws: TemplateError.self) { try call("randAlpha", int(1 << 30)) }
        #expect(throws: TemplateError.self) { try call("trunc", .float(3), .string("abc")) }
    }

    @Test func lists() throws {
        #expect(try text("until", int(-3)) == "[0 -1 -2]")
        #expect(try text("untilStep", int(0), int(-10), int(-4)) == "[0 -4 -8]")
        #expect(try text("seq", int(-5)) == "1 0 -1 -2 -3 -4 -5")
        #expect(try text("seq", int(3), int(-3), int(2)) == "3")
        #expect(try text("seq", int(0), int(3), int(10)) == "0 3 6 9")
        #expect(try text("untilStep", int(.max - 1), int(.max), int(.max)) == "[9223372036854775806]")
        #expect(throws: TemplateError.self) { try call("untilStep", int(.min), int(.max), int(1)) }
        #expect(try text("seq", int(.max)) == "")
        #expect(try text("chunk", int(.max), .list([int(1)])) == "[[1]]")
        #expect(try text("chunk", int(3), .list([int(1), int(2), int(3), int(4)])) == "[[1 2 3] [4]]")
        #expect(try text("uniq", .list([.string("foo"), int(1), int(1), .string("foo")])) == "[foo 1]")
        #expect(try text("uniq", .list([int(1), .int(1, .int64), .float(1), .list([]), .list([]), .null, .null])) == "[1 1 1 [] <nil>]")
        guard case .list(let unique, _) = try call("uniq", call("until", int(200_000))) else { Issue.record("uniq"); return }
        #expect(unique.count == 200_000)
        #expect(try text("without", .list([int(1), int(2), int(1)]), int(1)) == "[2]")
        #expect(try text("compact", .list([int(1), int(0), .string(""), .string("hello")])) == "[1 hello]")
        #expect(try text("slice", .list([int(1), int(2), int(3)]), int(1)) == "[2 3]")
        #expect(try text("concat", .list([int(1)]), .list([.null])) == "[1 <nil>]")
        #expect(try call("first", .list([])) == .null)
        #expect(try call("has", .string("bar"), .null) == .bool(false))
        #expect(throws: TemplateError.self) { try call("first", .string("abc")) }
        #expect(throws: TemplateError.self) { try call("until", int(1 << 40)) }
    }

    @Test func dicts() throws {
        #expect(try text("dict", int(1), int(2), .string("three"), .string("four"), int(5)) == "map[1:2 5: three:four]")
        let dst: TemplateValue = .map(["a": .string("one"), "d": .map(["f": int(5)]), "k": .map(["l": .bool(true)]), "e": .string("")])
        let src: TemplateValue = .map(["a": int(1), "d": .map(["e": .string("four")]), "k": .map(["l": .bool(false)]), "e": .string("E")])
        #expect(try text("merge", dst, src) == "map[a:one d:map[e:four f:5] e:E k:map[l:true]]")
        #expect(try text("mergeOverwrite", dst, src) == "map[a:1 d:map[e:four f:5] e:E k:map[l:false]]")
        let nested: TemplateValue = .map(["a": .map(["b": .map(["c": int(1)])])])
        #expect(try text("dig", .string("a"), .string("b"), .string("c"), .string(""), nested) == "1")
        #expect(try text("dig", .string("a"), .string("z"), .string("2"), nested) == "2")
        #expect(try text("pluck", .string("two"), .map(["two": int(2)]), .map([:]), .map(["two": int(3)])) == "[2 3]")
        #expect(try text("get", .map([:]), .string("x")) == "")
        #expect(try call("hasKey", .null, .string("x")) == .bool(false))
        #expect(throws: TemplateError.self) { try call("set", .null, .string("k"), int(1)) }
        #expect(throws: TemplateError.self) { try call("dig", .string("a"), .string(""), .null) }
    }

    @Test func numbers() throws {
        #expect(try call("add", int(3), int(1), int(2)) == .int(6, .int64))
        #expect(try text("mul", .string("2"), int(3), .string("4"), int(1)) == "24")
        #expect(try text("addf", .float(1.5), .float(2.2), int(3)) == "6.7")
        #expect(try text("mulf", .float(1.2), .string("2.4"), int(10), .string("4")) == "115.2")
        #expect(try text("divf", int(2), int(5), int(4)) == "0.1")
        #expect(try text("round", .float(123.233), int(2), .float(0.3)) == "123.24")
        #expect(try text("maxf", int(1), .float(345.7), int(5)) == "345.7")
        #expect(try text("int64", .string("0x10")) == "16")
        #expect(try text("int", .float(102.1234)) == "102")
        #expect(try text("int", .string("frankie")) == "0")
        #expect(try text("float64", .bool(true)) == "1")
        #expect(try text("toDecimal", int(777)) == "511")
        #expect(try text("atoi", .string("42")) == "42")
        #expect(GoFormat.shortest(1e6) == "1e+06" && GoFormat.shortest(123456) == "123456" && GoFormat.shortest(0.0001) == "0.0001")
        #expect(throws: TemplateError.self) { try call("div", int(1), int(0)) }
    }

    @Test func flow() throws {
        #expect(try text("default", .string("foo"), .string("")) == "foo")
        #expect(try text("default", .string("foo"), .float(2.34)) == "2.34")
        #expect(try text("default", .string("123")) == "123")
        #expect(try call("empty", .map([:])) == .bool(true))
        #expect(try text("coalesce", .string(""), int(0), .null, int(2)) == "2")
        #expect(try call("all") == .bool(true) && call("any") == .bool(false))
        #expect(try text("ternary", .string("foo"), .string("bar"), .bool(false)) == "bar")
        #expect(throws: TemplateError("This is an error!")) { try call("fail", .string("This is an error!")) }
        #expect(try text("kindOf", .list([.string("hello")], type: .strings)) == "slice")
        #expect(try call("typeIsLike", .string("string"), .string("foo")) == .bool(true))
    }

    @Test func regex() throws {
        #expect(try call("regexMatch", .string(#"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#), .string("test@acme.com")) == .bool(true))
        #expect(try call("regexMatch", .string("("), .string("x")) == .bool(false))
        #expect(throws: TemplateError.self) { try call("mustRegexMatch", .string("("), .string("x")) }
        #expect(try text("regexFindAll", .string("a{2}"), .string("aaaa"), int(-1)) == "[aa aa]")
        #expect(try text("regexFind", .string("fo.?"), .string("foo foe")) == "foo")
        #expect(try text("regexReplaceAll", .string("a(x*)b"), .string("-ab-axxb-"), .string("$1W")) == "---")
        #expect(try text("regexReplaceAll", .string("a(x*)b"), .string("-ab-axxb-"), .string("${1}W")) == "-W-xxW-")
        #expect(try text("regexReplaceAllLiteral", .string("a(x*)b"), .string("-ab-axxb-"), .string("${1}")) == "-${1}-${1}-")
        #expect(try text("regexSplit", .string("a"), .string("banana"), int(-1)) == "[b n n ]")
        #expect(try text("regexSplit", .string("z+"), .string("pizza"), int(1)) == "[pizza]")
        #expect(try text("regexQuoteMeta", .string("1.2.3")) == #"1\.2\.3"#)
        #expect(try call("regexMatch", .string("^[a-z]+$"), .string("abc\n")) == .bool(false))
        #expect(try call("regexMatch", .string("(?m)^[a-z]+$"), .string("abc\nd")) == .bool(true))
        #expect(try text("regexReplaceAll", .string("[$]$"), .string("a$$"), .string("x")) == "a$x")
        #expect(try text("regexReplaceAll", .string("(?P<first>a)"), .string("ab"), .string("<${first}>")) == "<a>b")
    }

    @Test func semver() throws {
        func check(_ constraint: String, _ version: String) throws -> Bool {
            try call("semverCompare", .string(constraint), .string(version)) == .bool(true)
        }
        #expect(try check("^1.2.0", "1.2.3") && !check("^1.2.0", "2.2.3"))
        #expect(try check("~1.2", "1.2.9") && !check("~1.2", "1.3.0"))
        #expect(try check(">= 1.20, < 1.30 || 2.x", "2.4.0") && check(">= 1.20, < 1.30 || 2.x", "1.25.1"))
        #expect(try !check(">=1.20.0", "1.25.0-gke.1") && check(">=1.20.0-0", "1.25.0-gke.1"))
        #expect(try check("1.2 - 1.4", "1.3.9") && !check("1.2 - 1.4.0", "1.4.1"))
        #expect(try check("^0.2.3", "0.2.9") && !check("^0.2.3", "0.3.0"))
        #expect(throws: TemplateError.self) { try call("semverCompare", .string("badConstraint"), .string("1.2.3")) }
        #expect(throws: TemplateError.self) { try call("semverCompare", .string("1.2.0"), .string("badVersion")) }
        #expect(try text("semver", .string("1.2.3-beta.1+c0ff33")) == "map[Major:1 Metadata:c0ff33 Minor:2 Original:1.2.3-beta.1+c0ff33 Patch:3 Prerelease:beta.1]")
    }

    @Test func dates() throws {
        let time = TemplateValue.time(seconds: 1_560_458_379, nanoseconds: 0, zone: .init(name: "GMT", offsetSeconds: 0))
        #expect(try text("htmlDate", time) == "2019-06-13")
        #expect(try text("date_in_zone", .string("02 Jan 06 15:04 -0700"), .int(1_560_458_379, .int64), .string("UTC")) == "13 Jun 19 20:39 +0000")
        #expect(try text("dateInZone", .string("Monday January 2 3:04:05.000 PM MST Z07:00"), time, .string("foobar")) == "Thursday June 13 8:39:39.000 PM UTC Z")
        #expect(try text("date", .string("02/01/2006"), call("toDate", .string("2006-01-02"), .string("2017-12-31"))) == "31/12/2017")
        #expect(try text("toDate", .string("2006-01-02T15:04:05Z07:00"), .string("2020-02-29T23:59:58+02:00")) == "2020-02-29 23:59:58 +0200 +0200")
        #expect(try text("unixEpoch", time) == "1560458379")
        _ = try text("date", .string("2006"), .int(.max, .int64))
        _ = try text("ago", .int(.min, .int64))
        #expect(try text("dateInZone", .string("15:04 MST"), time, .string("UTC")) == "20:39 UTC")
        #expect(try text("dateInZone", .string("15:04 -07:00"), time, .string("Asia/Kolkata")) == "02:09 +05:30")
        #expect(try text("dateInZone", .string("15:04 MST"), time, .string("Europe/Berlin")) == "22:39 CEST")
        #expect(try text("dateInZone", .string("MST"), int(1_580_458_379), .string("Europe/Berlin")) == "CET")
        #expect(try text("date", .string("x_2006 _2 __2 002 Jan"), time) == "x_2019 13 164 164 Jun")
        #expect(try text("date_modify", .string("24h"), time) == "2019-06-14 20:39:39 +0000 GMT")
        #expect(try call("date_modify", .string("1f"), time) == time)
        #expect(throws: TemplateError.self) { try call("must_date_modify", .string("1f"), time) }
        #expect(try text("duration", .string("93784")) == "26h3m4s")
        #expect(try text("durationRound", .string("2400h5s")) == "3mo")
        #expect(GoDuration.string(1_500_000) == "1.5ms" && GoDuration.string(-61_000_000_000) == "-1m1s")
        #expect(SprigTime.parseDuration("1h30m0.5s") == 5_400_500_000_000 && SprigTime.parseDuration("1f") == nil)
    }

    @Test func pathsAndURLs() throws {
        #expect(try text("clean", .string("/foo/../foo/../bar")) == "/bar")
        #expect(try text("dir", .string("foo/bar/baz")) == "foo/bar")
        #expect(try text("osBase", .string("foo/bar/")) == "bar")
        #expect(try text("ext", .string("/foo/bar/baz.txt")) == ".txt")
        #expect(try text("urlParse", .string("proto://user:passwor%20d@host:80/pa%20th?key=val%20ue#frag"))
            == "map[fragment:frag host:host:80 hostname:host opaque: path:/pa th query:key=val%20ue scheme:proto userinfo:user:passwor%20d]")
        #expect(try text("urlParse", .string("something")) == "map[fragment: host: hostname: opaque: path:something query: scheme: userinfo:]")
        #expect(try text("urlJoin", .map(["host": .string("host:80"), "path": .string("/pa th"), "query": .string("key=val%20ue"), "scheme": .string("proto"), "userinfo": .string("u")]))
            == "proto://u@host:80/pa%20th?key=val%20ue")
        #expect(try text("getHostByName", .string("example.com")) == "")
    }

    @Test func placeholders() throws {
        #expect(try text("genPrivateKey", .string("ecdsa")).hasPrefix("-----BEGIN EC PRIVATE KEY-----\n"))
        #expect(try text("genPrivateKey", .string("bad")) == "Unknown type bad")
        guard case .map(let ca, _) = try call("genCA", .string("foo-ca"), int(365)) else { Issue.record("no map"); return }
        #expect(SprigValue.string(ca["Cert"] ?? .null).hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(try text("bcrypt", .string("abc")).wholeMatch(of: /\$2a\$10\$[.\/A-Za-z0-9]{53}/) != nil)
        #expect(try text("uuidv4").wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/) != nil)
    }

    /// Odd arguments (extremes, NaN, nil, wrong types) make errors, never a trap.
    @Test func oddArgumentsDoNotTrap() {
        let odd: [TemplateValue] = [
            .null, .string(""), .string("ß\n$1{"), .int(.min, .int), .int(.max, .int64), .int(-1, .int), .int(3, .int),
            .uint(.max, .uint64), .float(.nan), .float(-.infinity), .float(1e300), .bool(true), .list([]),
            .list([.null, .string("a"), .int(1, .int)]), .map([:]), .map(["a": .map([:])]), .duration(.min), .bytes([0xff]),
            .time(seconds: SprigTime.secondsLimit, nanoseconds: 999_999_999, zone: .init(name: "", offsetSeconds: 50_400)),
        ]
        var generator = SystemRandomNumberGenerator()
        for (name, function) in Self.functions.sorted(by: { $0.key < $1.key }) where name != "derivePassword" {
            let count: Int = switch function.arity {
            case .exactly(let n)?: n
            case .atLeast(let n)?: n + 1
            case nil: 2
            }
            for round in 0..<(count == 0 ? 1 : 60) {
                let args = (0..<count).map { position in
                    round < odd.count ? odd[(round + position) % odd.count] : odd.randomElement(using: &generator)!
                }
                _ = try? function.call(args)
            }
        }
    }
}

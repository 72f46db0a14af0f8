import Testing
@testable import HAAuditHelm

/// Go's fmt as the templates see it: outputs of Go 1.26's fmt for the same calls.
@Suite("Go fmt")
struct GoFormatTests {
    static func int(_ value: Int64) -> TemplateValue { .int(value, .int) }

    @Test(arguments: [
        ("%5.2f", [TemplateValue.float(3.14159)], " 3.14"),
        ("%-5d|", [int(42)], "42   |"),
        ("%05d", [int(-42)], "-0042"),
        ("%x %X %#x %o %#o %b %O", [int(255), int(255), int(255), int(8), int(8), int(5), int(8)], "ff FF 0xff 10 010 101 0o10"),
        ("%e", [.float(1234.5678)], "1.234568e+03"),
        ("%g %g %g", [.float(1e21), .float(100000), .float(1e6)], "1e+21 100000 1e+06"),
        ("%v %v %v %v", [.float(0.000001), .float(0.0001), .float(123456), .float(1234567)], "1e-06 0.0001 123456 1.234567e+06"),
        ("%q", [.string("hi\n")], "\"hi\\n\""),
        ("%#q", [.string("hi")], "`hi`"),
        ("%c %U %#U", [int(65), int(65), int(0x1F600)], "A U+0041 U+1F600 '😀'"),
        ("%t %5t|", [.bool(true), .bool(true)], "true  true|"),
        ("%d", [.string("x")], "%!d(string=x)"),
        ("%d", [], "%!d(MISSING)"),
        ("%d", [int(1), int(2)], "1%!(EXTRA int=2)"),
        ("%s %d %v", [.float(3.5), .bool(true), .null], "%!s(float64=3.5) %!d(bool=true) <nil>"),
        ("%s|%d", [.null, .null], "%!s(<nil>)|%!d(<nil>)"),
        ("%v %s %q", [.list([int(1), int(2)]), .list([.string("a"), .string("b")]), .list([.string("a")])], "[1 2] [a b] [\"a\"]"),
        ("%v", [.map(["b": int(2), "a": .null])], "map[a:<nil> b:2]"),
        ("%.3s|%x|% x", [.string("abcdef"), .string("hi"), .string("hi")], "abc|6869|68 69"),
        ("%08.3f|%+d|%6.2f%%", [.float(-3.14159), int(5), .float(12.3456)], "-003.142|+5| 12.35%"),
        ("%*d|%-08d|", [int(5), int(42), int(42)], "   42|42      |"),
        ("%v %v %v", [.float(-0.0), .float(.infinity), .float(.nan)], "-0 +Inf NaN"),
        ("%.0f %e %.1e %g", [.float(0.5), .float(0), .float(0.05), .float(0.00001234)], "0 0.000000e+00 5.0e-02 1.234e-05"),
        ("%T %T %T %T", [int(1), .float(1), .list([]), .map([:])], "int float64 []interface {} map[string]interface {}"),
        ("%v %d", [.duration(1_500_000_000), .duration(1_500_000_000)], "1.5s 1500000000"),
        ("%v", [.float(0.1, isFloat32: true)], "0.1"),
        ("%6.3v|", [.float(3.14159)], "  3.14|"),
        ("%!|%", [], "%!!(MISSING)|%!(NOVERB)"),
        ("%[2]s-%[1]s-%s", [.string("a"), .string("b")], "b-a-b"),
        ("%[3]d|%[x]d", [int(1)], "%!d(BADINDEX)|%!d(BADINDEX)"),
    ] as [(String, [TemplateValue], String)])
    func sprintf(format: String, arguments: [TemplateValue], expected: String) {
        #expect(GoFormat.sprintf(format, arguments) == expected)
    }

    @Test func sprint() {
        #expect(GoFormat.sprint([Self.int(1), Self.int(2), .string("c"), .string("d"), .float(2.5)]) == "1 2cd2.5")
        #expect(GoFormat.sprintln([Self.int(1), .string("a")]) == "1 a\n")
    }

    @Test func durations() {
        #expect(GoDuration.string(0) == "0s")
        #expect(GoDuration.string(90 * 60 * 1_000_000_000) == "1h30m0s")
        #expect(GoDuration.string(1_500) == "1.5µs")
        #expect(GoDuration.string(-2_000_000) == "-2ms")
    }
}

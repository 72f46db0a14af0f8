import Foundation
import Testing
@testable import HAAuditHelm

/// The conformance data is where the suites expect it, and typed JSON reads as Go values.
@Suite("Helm conformance data")
struct ConformanceDataTests {
    @Test func typedJSONReadsGoTypes() throws {
        let json = try JSONDecoderHelper.decode(#"{"a": 1.5, "b": {"$int": 17}, "c": {"$type": "[]int", "value": [3, 4]}, "d": [true, null, "x"]}"#)
        #expect(TypedJSON.value(json) == .map([
            "a": .float(1.5), "b": .int(17, .int),
            "c": .list([.int(3, .int), .int(4, .int)], type: .init(element: "int", arrayLength: nil)),
            "d": .list([.bool(true), .null, .string("x")]),
        ]))
    }

    @Test func theSuitesAreBesideTheRepository() throws {
        let exec = try TypedJSON.load("go-template/exec.json")
        #expect((exec["cases"]?.array?.count ?? 0) > 200)
    }
}

enum JSONDecoderHelper {
    static func decode(_ text: String) throws -> RawJSON {
        try JSONDecoder().decode(RawJSON.self, from: Data(text.utf8))
    }
}

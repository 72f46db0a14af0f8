import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

@Suite("YAML reader")
struct YAMLReaderTests {
    func read(_ text: String) throws -> [Node] {
        try YAMLReader(limits: ReaderLimits()).read(Array(text.utf8))
    }

    @Test func keepsLineAndColumnOfKeysAndValues() throws {
        let documents = try read("apiVersion: v1\nkind: Pod\nspec:\n  replicas: 3\n")
        let spec = try #require(documents.first?.entry("spec"))
        #expect(spec.key.position == Position(line: 3, column: 1))
        let replicas = try #require(spec.value.entry("replicas"))
        #expect(replicas.key.position == Position(line: 4, column: 3))
        #expect(replicas.value.position == Position(line: 4, column: 13))
        #expect(replicas.value.int == 3)
    }

    @Test func readsEveryDocumentOfAStream() throws {
        let documents = try read("a: 1\n--- # a comment after the marker\nb: 2\n---\n---\nc: 3\n")
        #expect(documents.count == 4)
        #expect(documents[1]["b"]?.int == 2)
        #expect(documents[1].position.line == 3)
        #expect(documents[2].isNull)
        #expect(documents[3]["c"]?.position.line == 6)
    }

    @Test func acceptsCRLFAndByteOrderMark() throws {
        let documents = try YAMLReader(limits: ReaderLimits()).read([0xEF, 0xBB, 0xBF] + Array("a: 1\r\nb:\r\n  c: x\r\n".utf8))
        #expect(documents.first?["b"]?["c"]?.string == "x")
        #expect(documents.first?["b"]?["c"]?.position == Position(line: 3, column: 6))
    }

    @Test func acceptsATabAfterAKey() throws {
        let documents = try read("apiVersion:\tv1\nkind: Service\n")
        #expect(documents.first?["apiVersion"]?.string == "v1")
    }

    @Test func distinguishesQuotedFromPlainScalars() throws {
        let node = try #require(try read("a: \"1\"\nb: 1\nc: ~\nd: yes\ne: !!str 2\n").first)
        #expect(node["a"]?.int == nil)
        #expect(node["a"]?.string == "1")
        #expect(node["b"]?.int == 1)
        #expect(node["c"]?.isNull == true)
        #expect(node["d"]?.bool == true)
        #expect(node["e"]?.int == nil)
    }

    @Test func keepsLocalTags() throws {
        let node = try #require(try read("a: !Ref Name\nb: !GetAtt [X, Y]\n").first)
        #expect(node["a"]?.tag == "!Ref")
        #expect(node["b"]?.tag == "!GetAtt")
        #expect(node["b"]?.items.count == 2)
    }

    @Test func appliesMergeKeysWithWrittenKeysWinning() throws {
        let node = try #require(try read("base: &base {a: 1, b: 2}\nderived:\n  <<: *base\n  b: 3\n").first)
        #expect(node["derived"]?["a"]?.int == 1)
        #expect(node["derived"]?["b"]?.int == 3)
    }

    @Test func reportsSyntaxErrorsWithTheirLine() {
        #expect {
            _ = try read("a: 1\nb: {c: 2\nd: 3\n")
        } throws: { error in
            guard let error = error as? ReadError else { return false }
            return error.message.hasPrefix("YAML syntax error") && error.position.line >= 2
        }
    }

    @Test func refusesAnAliasBomb() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect {
            _ = try read(text)
        } throws: { error in
            (error as? ReadError)?.message.contains("alias") == true
        }
    }

    @Test func refusesNestingDeeperThanTheLimit() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect {
            _ = try read(text)
        } throws: { error in
            (error as? ReadError)?.message.contains("deeper") == true
        }
    }

    @Test func refusesBinaryInput() {
        #expect(throws: ReadError.self) {
            _ = try YAMLReader(limits: ReaderLimits()).read([0x00, 0xFF, 0xFE, 0x41, 0x00, 0x9C])
        }
    }
}

@Suite("JSON reader")
struct JSONReaderTests {
    func read(_ text: String) throws -> [Node] {
        try JSONReader(limits: ReaderLimits()).read(Array(text.utf8))
    }

    @Test func keepsPositionsAndTypes() throws {
        let node = try #require(try read("{\n  \"a\": 1,\n  \"b\": [true, null, \"x\"]\n}").first)
        #expect(node.entry("a")?.key.position == Position(line: 2, column: 3))
        #expect(node["a"]?.int == 1)
        #expect(node["b"]?.items[0].bool == true)
        #expect(node["b"]?.items[1].isNull == true)
        #expect(node["b"]?.items[2].position == Position(line: 3, column: 21))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let node = try #require(try read(#"{"s": "a\"b\\c\/d\n\u00e9\ud83d\ude00"}"#).first)
        #expect(node["s"]?.string == "a\"b\\c/d\n\u{e9}\u{1F600}")
    }

    @Test func countsColumnsInCharacters() throws {
        let node = try #require(try read("{\"é\": 1, \"b\": 2}").first)
        #expect(node.entry("b")?.key.position.column == 10)
    }

    @Test func reportsErrorsWithTheirLine() {
        #expect {
            _ = try read("{\n  \"a\": 1,\n  \"b\" 2\n}")
        } throws: { error in
            (error as? ReadError)?.position.line == 3
        }
    }

    @Test func refusesDeepNesting() {
        #expect(throws: ReadError.self) {
            _ = try read(String(repeating: "[", count: 100_000))
        }
    }

    @Test func readsAnEmptyFileAsNoDocument() throws {
        #expect(try read("  \n").isEmpty)
    }
}

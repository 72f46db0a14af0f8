import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

@Suite("XML reader")
struct XMLReaderTests {
    func read(_ text: String) throws -> XMLElement {
        try XMLReader().read(Array(text.utf8))
    }

    @Test func keepsThePositionOfElementsAndAttributes() throws {
        let root = try read("""
            <?xml version="1.0" encoding="utf-8"?>
            <!-- generated -->
            <a xmlns="urn:x">
              <b name="one"
                 count="2" />
            </a>
            """)
        #expect(root.position == Position(line: 3, column: 1))
        let b = try #require(root.child("b"))
        #expect(b.position == Position(line: 4, column: 3))
        #expect(b.attribute("name")?.position == Position(line: 4, column: 6))
        #expect(b.attribute("count")?.position == Position(line: 5, column: 6))
        #expect(b.attribute("count")?.value == "2")
        #expect(root.precedingComments == [" generated "])
    }

    @Test func matchesElementsByNamespaceURINotPrefix() throws {
        let root = try read("<f:a xmlns:f=\"urn:fabric\"><f:b/><g:b xmlns:g=\"urn:other\"/></f:a>")
        #expect(root.name == "a")
        #expect(root.namespace == "urn:fabric")
        #expect(root.children("b").count == 1)
    }

    @Test func acceptsAByteOrderMarkAndCRLF() throws {
        let root = try XMLReader().read([0xEF, 0xBB, 0xBF] + Array("<a>\r\n  <b x=\"1\"/>\r\n</a>".utf8))
        #expect(root.child("b")?.attribute("x")?.position == Position(line: 2, column: 6))
    }

    @Test func keepsCommentsWrittenDirectlyBeforeAnElement() throws {
        let root = try read("<a>\n  <!-- haaudit:ignore single-replica singleton by design -->\n  <b/>\n  <c/>\n</a>")
        #expect(root.child("b")?.precedingComments == [" haaudit:ignore single-replica singleton by design "])
        #expect(root.child("c")?.precedingComments == [])
    }

    @Test func reportsMalformedXMLWithItsLine() {
        #expect {
            _ = try read("<a>\n  <b>\n</a>\n")
        } throws: { error in
            guard let error = error as? ReadError else { return false }
            return error.message.hasPrefix("XML syntax error") && error.position.line == 3
        }
    }

    @Test func neverExpandsAnExternalEntity() throws {
        let root = try read("""
            <?xml version="1.0"?>
            <!DOCTYPE a [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <a><b>&secret;</b><c value="x"/></a>
            """)
        #expect(root.child("b")?.text == "")
        #expect(!root.child("b")!.text.contains("root:"))
        #expect(root.child("c")?.attribute("value")?.value == "x")
    }

    @Test func refusesAnEntityExpansionBomb() {
        var entities = "<!ENTITY l0 \"lol\">"
        for level in 1...10 {
            entities += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let text = "<?xml version=\"1.0\"?><!DOCTYPE a [\(entities)]><a v=\"&l10;\">&l10;</a>"
        // libxml2 either refuses the amplification or leaves the reference unexpanded; either
        // way the reader returns quickly with nothing like a billion characters.
        if let root = try? read(text) {
            #expect(root.text.count < 1_000_000)
            #expect((root.attribute("v")?.value.count ?? 0) < 1_000_000)
        }
    }
}

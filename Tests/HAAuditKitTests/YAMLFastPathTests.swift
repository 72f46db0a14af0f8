import Foundation
import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

@Suite("YAML fast path")
struct YAMLFastPathTests {
    func fast(_ text: String) -> [Node]? {
        Array(text.utf8).withUnsafeBufferPointer { YAMLFastPath.read($0, maxDepth: ReaderLimits().maxDepth) }
    }

    /// The fast path's outline of `bytes` equals libyaml's, or nil when the fast path declines.
    func agreement(_ bytes: [UInt8]) throws -> Bool? {
        guard let fast = bytes.withUnsafeBufferPointer({ YAMLFastPath.read($0, maxDepth: ReaderLimits().maxDepth) }) else { return nil }
        let reference = try YAMLReader(limits: ReaderLimits()).readWithLibyaml(bytes)
        return fast.map(\.outline) == reference.map(\.outline)
    }

    @Test(arguments: [
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web # a comment\n  labels: {app: web, tier: 'front'}\n",
        "spec:\n  containers:\n    - name: a\n      ports:\n        - {containerPort: 80}\n    -   name: b\n",
        "items:\n- a\n-\n- - x\n  - y\nafter: \"quoted\"\n",
        "# leading comment\n---\na: 1\n---\n---\nb:\n\n  # between\n  c: d\n--- # trailing\n",
        "empty:\nnext: !Ref Thing\nlist: [!GetAtt A.Arn, !Select [0, !GetAZs ''], 'it''s']\n",
        "Value: !Join\n  - ''\n  - - 'arn:aws:s3:::'\n    - !Ref Bucket\nTagged: !If\n- c\n- a\nNone: !Ref\n",
        "flow: {a: [1, 2,\n    3], b: {c: d}}\nurl: http://example.com:8080/x#y\nkey with spaces  : value\n\"k\": v\n",
        "- just\n- a: 1\n  b:\n  - deep\n- [x]\n",
        "plain scalar document\n",
        "[1, 2]\n",
        "{\n\"a\": 1\n}\n",
        "a:\n  b: 1\n# comment at column 0 inside\n  c: 2\n",
        "a: 1\n---",
        "---\n",
        "",
    ])
    func buildsLibyamlsTree(_ text: String) throws {
        #expect(try agreement(Array(text.utf8)) == true)
    }

    @Test(arguments: [
        "a: &anchor 1\nb: *anchor\n",
        "a: |\n  block\n",
        "a: >\n  folded\n",
        "a: first\n  continued\n",
        "a: \"escaped\\n\"\n",
        "a: 'two\n  lines'\n",
        "a:\tb\n",
        "a: 1\r\n",
        "a: caf\u{e9}\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: 1\n...\n",
        "<<: {a: 1}\n",
        "? complex\n: key\n",
        "a: b: c\n",
        "[a: b]\n",
        "{a, b: c}\n",
        "[a, ]\n",
        "a: !!str 1\n",
        "a:\n    b: 1\n  c: 2\n",
        "- a\nb: c\n",
        "a: [b\n  c]\n",
        "key: [1,\n2]\n",
        "aat: {v0pp: artnt:?}",  // found by scripts/fuzz: libyaml rejects `:?` in flow context
        "\nc:\n\n''   :2\n",  // found by scripts/fuzz: a quoted key needs a space after its `:`
        // Bytes the fast path leaves to libyaml, in the eight-byte words its check reads whole.
        "apiVersion: v1\nkind:\tPod\n",
        "metadata:\r\n  name: web\n",
        "annotation: some\u{7F}value\n",
        "annotation: some\u{01}value\n",
        "annotation: caf\u{e9} au lait\n",
    ])
    func declinesWhatLibyamlMustRead(_ text: String) {
        #expect(fast(text) == nil)
    }

    @Test func declinesNestingPastTheLimit() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(fast(deep) == nil)
    }

    /// Every YAML manifest of the fixtures: wherever the fast path accepts a file, libyaml must
    /// build the same tree.
    @Test func agreesWithLibyamlOnEveryFixture() throws {
        try expectAgreement(in: ["fixtures"])
    }

    @Test(.enabled(if: sharedAvailable, needsShared))
    func agreesWithLibyamlOnEveryCorpusFile() throws {
        try expectAgreement(in: ["../shared/acceptance/cases", "../shared/corpus"])
    }

    private func expectAgreement(in relativeFolders: [String]) throws {
        let folders = relativeFolders.map { packageRoot + "/" + $0 }
        var accepted = 0, declined = 0
        for folder in folders {
            let files = try #require(FileManager.default.enumerator(atPath: folder), "\(folder)")
            for case let file as String in files where [".yaml", ".yml"].contains(where: file.lowercased().hasSuffix) {
                let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file)))
                switch try? agreement(bytes) {
                case true?: accepted += 1
                case nil: declined += 1
                case false?: Issue.record("the fast path and libyaml disagree on \(folder)/\(file)")
                }
            }
        }
        #expect(accepted > declined, "the fast path took \(accepted) files and declined \(declined)")
    }
}

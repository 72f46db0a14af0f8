import Foundation
import Testing

/// Manifests are untrusted (the gate runs on pull requests): each hostile input ends quickly in a
/// diagnostic (exit 2) with the other files still audited, and nothing crashes or leaks.
@Suite("Hostile input", .serialized)
struct HostileInputTests {
    /// A folder holding `files` and a healthy manifest whose finding proves the rest was audited.
    func scan(_ files: [String: [UInt8]], arguments: [String] = [], prepare: (URL) throws -> Void = { _ in })
        throws -> (run: HAAuditRun, seconds: Double, report: [String: Any]?) {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: survivor}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n".utf8)
            .write(to: folder.appendingPathComponent("survivor.yaml"))
        for (name, bytes) in files {
            try Data(bytes).write(to: folder.appendingPathComponent(name))
        }
        try prepare(folder)
        let started = Date()
        let run = try runHAAudit(["scan", ".", "--format", "json"] + arguments, in: folder.path)
        let report = try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        return (run, Date().timeIntervalSince(started), report)
    }

    func survivorAudited(_ report: [String: Any]?) -> Bool {
        let findings = report?["findings"] as? [[String: Any]] ?? []
        return findings.contains { ($0["component"] as? [String: Any])?["name"] as? String == "survivor" }
    }

    func diagnostics(_ report: [String: Any]?) -> [String] {
        (report?["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
    }

    func expectRefused(_ result: (run: HAAuditRun, seconds: Double, report: [String: Any]?), mentioning text: String) {
        #expect(result.run.status == 2, "\(result.run.stderr)")
        #expect(result.seconds < timeBound(10))
        #expect(survivorAudited(result.report))
        #expect(diagnostics(result.report).contains { $0.contains(text) }, "\(diagnostics(result.report))")
    }

    @Test func aYAMLAliasBomb() throws {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        // Named, so that a file that does not parse is an error whatever it looks like.
        expectRefused(try scan(["bomb.yaml": Array(text.utf8)], arguments: ["bomb.yaml"]), mentioning: "alias bomb")
    }

    @Test func deepNestingInYAMLAndJSON() throws {
        let yaml = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let json = String(repeating: "{\"a\":", count: 100_000) + "1" + String(repeating: "}", count: 100_000)
        let result = try scan(["deep.yaml": Array(yaml.utf8), "deep.json": Array(json.utf8)], arguments: ["deep.yaml", "deep.json"])
        expectRefused(result, mentioning: "nesting is deeper")
        #expect(diagnostics(result.report).count == 2)
    }

    @Test func anXMLExternalEntityNamingALocalFile() throws {
        let secret = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: secret) }
        let path = secret.appendingPathComponent("secret.txt")
        try "TOP-SECRET-CONTENT".write(to: path, atomically: true, encoding: .utf8)
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE ServiceDefinition [<!ENTITY leak SYSTEM "file://\(path.path)">]>
            <ServiceDefinition name="&leak;" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
              <WorkerRole name="x"><!-- &leak; -->&leak;</WorkerRole>
            </ServiceDefinition>
            """
        let result = try scan(["ServiceDefinition.csdef": Array(xml.utf8)])
        expectRefused(result, mentioning: "external entity")
        #expect(!result.run.stdout.contains("TOP-SECRET") && !result.run.stderr.contains("TOP-SECRET"))
    }

    @Test func anXMLEntityExpansionBomb() throws {
        var entities = "<!ENTITY l0 \"lollollollollollollollollollol\">"
        for level in 1...9 {
            entities += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">"
        }
        let xml = "<?xml version=\"1.0\"?><!DOCTYPE ServiceDefinition [\(entities)]><ServiceDefinition name=\"&l9;\" xmlns=\"http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition\"/>"
        let result = try scan(["ServiceDefinition.csdef": Array(xml.utf8)])
        #expect(result.seconds < timeBound(10))
        #expect(result.run.stdout.count < 1_000_000)
        #expect(survivorAudited(result.report))
    }

    @Test func invalidUTF8() throws {
        let bytes: [UInt8] = Array("apiVersion: v1\nkind: Pod\nmetadata: {name: \"".utf8) + [0xC3, 0x28, 0xFF] + Array("\"}\n".utf8)
        expectRefused(try scan(["broken.yaml": bytes, "broken.json": [0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]]), mentioning: "UTF-8")
    }

    @Test func binaryFilesWithManifestExtensions() throws {
        var generator = SystemRandomNumberGenerator()
        let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let files = ["random.yaml": noise, "random.json": noise, "random.xml": noise, "random.template": noise]
        let named = try scan(files, arguments: Array(files.keys))
        #expect(named.run.status == 2)
        #expect(survivorAudited(named.report))
        #expect(diagnostics(named.report).count == 4)
        // Found in a folder, noise that does not look like a manifest is skipped and counted.
        let found = try scan(files)
        #expect(found.run.status == 1)
        #expect(survivorAudited(found.report))
        #expect(diagnostics(found.report).isEmpty)
        #expect(((found.report?["summary"] as? [String: Any])?["skipped"] as? [String: Any])?["unparseable"] as? Int == 4)
    }

    @Test func aSymbolicLinkLoop() throws {
        let result = try scan([:]) { folder in
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("sub/loop").path, withDestinationPath: "..")
        }
        #expect(result.run.status == 1, "the loop is walked once; only the survivor's finding remains")
        #expect(result.seconds < timeBound(10))
        #expect((result.report?["summary"] as? [String: Any])?["files"] as? Int == 1)
    }

    @Test func anUnreadableFile() throws {
        let result = try scan([:], arguments: ["missing.yaml"]) { folder in
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("missing.yaml").path, withDestinationPath: "nowhere")
        }
        expectRefused(result, mentioning: "cannot read missing.yaml")
    }

    @Test func aNamedPipeGivenByName() throws {
        let result = try scan([:], arguments: ["pipe.yaml"]) { folder in
            #expect(mkfifo(folder.appendingPathComponent("pipe.yaml").path, 0o644) == 0)
        }
        expectRefused(result, mentioning: "not a regular file")
    }

    @Test func aFileLargerThanTheLimit() throws {
        let big = Array(repeating: UInt8(ascii: "#"), count: 2 << 20)
        expectRefused(try scan(["big.yaml": big], arguments: ["--max-file-size", "1M"]), mentioning: "larger than the limit")
    }

    @Test func anEmptyFileIsNoManifestAndNoError() throws {
        let result = try scan(["empty.yaml": [], "empty.json": [], "blank.xml": Array("   \n".utf8), "comments.yaml": Array("# none\n---\n".utf8)])
        #expect(survivorAudited(result.report))
        #expect(result.seconds < timeBound(10))
        #expect(diagnostics(result.report).isEmpty, "an empty file of any format is skipped, even an XML file without a root")
        #expect(((result.report?["summary"] as? [String: Any])?["skipped"] as? [String: Any])?["empty"] as? Int == 4)
    }

    @Test func tenThousandDocumentsInOneStream() throws {
        let document = "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {a: b}\n"
        let result = try scan(["stream.yaml": Array(String(repeating: document, count: 10_000).utf8)])
        #expect(result.run.status == 1)
        #expect(result.seconds < timeBound(10))
        #expect((result.report?["summary"] as? [String: Any])?["documents"] as? Int == 10_001)
    }

    @Test func nothingIsWrittenInsideTheScannedTree() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.copyItem(atPath: "\(packageRoot)/fixtures/kubernetes/shop", toPath: folder.appendingPathComponent("shop").path)
        let before = try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted()
        let reports = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: reports) }
        _ = try runHAAudit(["scan", "shop", "--format", "sarif", "--output", reports.appendingPathComponent("out.sarif").path,
                            "--write-baseline", reports.appendingPathComponent("baseline.json").path], in: folder.path)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: folder.path).sorted() == before)
    }
}

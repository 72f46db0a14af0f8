import Foundation
import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

/// Templates built to make evaluation exponential, and values a platform reads differently from
/// how they look: evaluation stays linear and bounded, and each value is read as the platform
/// reads it.
@Suite("Hostile evaluation", .serialized)
struct HostileEvaluationTests {
    /// A scan of `files` (and a healthy manifest whose finding proves the rest was audited),
    /// killed after `timeout` seconds: a hang fails the test rather than stalling the suite.
    func scan(_ files: [String: String], timeout: Double = timeBound(20)) throws -> (status: Int32?, seconds: Double, report: [String: Any]?) {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: survivor}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n".utf8)
            .write(to: folder.appendingPathComponent("survivor.yaml"))
        for (name, text) in files {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        // Output goes to a file, so that a full pipe cannot stall the run being timed.
        let output = folder.appendingPathComponent("report.out")
        try Data().write(to: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: haauditBinary)
        process.arguments = ["scan", ".", "--format", "json"]
        process.currentDirectoryURL = folder
        process.environment = ["NO_COLOR": "1"]
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = FileHandle.nullDevice
        let started = Date()
        try process.run()
        while process.isRunning && Date().timeIntervalSince(started) < timeout { usleep(10_000) }
        let seconds = Date().timeIntervalSince(started)
        guard !process.isRunning else {
            // SIGKILL: the test process may pass on an ignored SIGTERM to its children.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return (nil, seconds, nil)
        }
        let report = try? JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any]
        return (process.terminationStatus, seconds, report)
    }

    func findings(_ report: [String: Any]?) -> [(rule: String, severity: String, message: String, path: String)] {
        (report?["findings"] as? [[String: Any]] ?? []).map {
            ($0["rule"] as? String ?? "", $0["severity"] as? String ?? "", $0["message"] as? String ?? "",
             ($0["location"] as? [String: Any])?["path"] as? String ?? "")
        }
    }

    func diagnostics(_ report: [String: Any]?) -> [(level: String, message: String, at: String)] {
        (report?["diagnostics"] as? [[String: Any]] ?? []).map {
            let location = $0["location"] as? [String: Any] ?? [:]
            return ($0["level"] as? String ?? "", $0["message"] as? String ?? "",
                    "\(location["path"] as? String ?? ""):\(location["line"] as? Int ?? 0):\(location["column"] as? Int ?? 0)")
        }
    }

    func template(_ text: String) throws -> Template {
        let root = try #require(try YAMLReader(limits: ReaderLimits()).read(Array(text.utf8)).first)
        return try #require(Template(SourceDocument(path: "t.yaml", root: root)))
    }

    static let header = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  Env: {Type: String, Default: prod}\n"

    /// A database whose MultiAZ is `value`, so that what evaluation made of it shows in the report.
    static func database(multiAZ value: String) -> String {
        "Resources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      MultiAZ: \(value)\n"
    }

    /// Twenty conditions, each naming the next four times: 4^20 evaluations unless each is computed once.
    static let chainedConditions = header + "Conditions:\n"
        + (0..<20).map { "  C\($0): !Or [" + Array(repeating: "!Condition C\($0 + 1)", count: 4).joined(separator: ", ") + "]\n" }.joined()
        + "  C20: !Equals [!Ref Env, prod]\n" + database(multiAZ: "!If [C0, true, false]")

    static let selfReferencingCondition = header + "Conditions:\n  Loop: !And [!Condition Loop, !Condition Loop, !Condition Loop]\n"
        + database(multiAZ: "!If [Loop, true, false]")

    static let mappingThatLooksItselfUp = header + "Mappings:\n  M:\n    A:\n      B: !Join ['', ["
        + Array(repeating: "!FindInMap [M, A, B]", count: 3).joined(separator: ", ") + "]]\n"
        + "Conditions:\n  Found: !Equals [!FindInMap [M, A, B], x]\n" + database(multiAZ: "!If [Found, true, false]")

    /// `levels` of `Fn::Sub`, each doubling the text of the level below: 2^40 bytes for 40 levels unless capped.
    static func nestedSub(levels: Int) -> String {
        var expression = "x"
        for _ in 0..<levels { expression = "!Sub ['${V}${V}', {V: \(expression)}]" }
        return header + "Conditions:\n  Long: !Equals [\(expression), x]\n" + database(multiAZ: "!If [Long, true, false]")
    }

    @Test func cloudFormationEvaluationIsLinearAndBounded() throws {
        let result = try scan(["chain.yaml": Self.chainedConditions, "loop.yaml": Self.selfReferencingCondition,
                               "map.yaml": Self.mappingThatLooksItselfUp, "sub.yaml": Self.nestedSub(levels: 40)])
        try #require(result.status == 1, "the scan did not finish in 20 s")
        #expect(result.seconds < timeBound(5))
        #expect(findings(result.report).contains { $0.message.contains("survivor") })
        let messages = diagnostics(result.report).map { "\($0.level) \($0.at) \($0.message)" }
        #expect(messages.contains("info loop.yaml:5:3 condition Loop -> condition Loop is a cycle; it is evaluated as unknown"), "\(messages)")
        #expect(messages.contains("info map.yaml:7:7 mapping M.A.B -> mapping M.A.B is a cycle; it is evaluated as unknown"), "\(messages)")
        let databases = findings(result.report).filter { $0.rule == "single-instance-datastore" }
        #expect(!databases.contains { $0.path == "chain.yaml" }, "C0 holds: the database is Multi-AZ")
        for path in ["loop.yaml", "map.yaml", "sub.yaml"] {
            #expect(databases.contains { $0.path == path && $0.severity == "info" }, "\(path): unknown, not a guess")
        }

        // The values, as the evaluator gives them.
        #expect(try template(Self.chainedConditions).condition("C0") == true)
        func nestedSub(levels: Int) throws -> Template.Value {
            let template = try template(Self.nestedSub(levels: levels))
            return template.evaluate(try #require(template.document.root[path: "Conditions", "Long"]?.items.first)).value
        }
        // The cap is 64 KiB (`Template.maxTextLength`).
        #expect(try nestedSub(levels: 16).text?.utf8.count == 65_536)
        #expect(try nestedSub(levels: 17).unknownReason == "Fn::Sub builds text longer than 65536 bytes")
        // The levels above the one past the cap substitute `*` for its unknown text.
        guard case .pattern("**") = try nestedSub(levels: 40) else { Issue.record("40 levels of Fn::Sub are not **"); return }
        let list = try template(Self.header + "Resources: {X: {Type: AWS::SNS::Topic, Properties: {Items: ["
                                + Array(repeating: "a", count: 20_000).joined(separator: ", ") + "]}}}\n")
        let items = try #require(list.resource("X")?.properties?["Items"])
        #expect(list.evaluate(items).value.unknownReason == "the expression takes more than 10000 steps to evaluate", "Template.workBudget")
    }

    @Test func yamlOneOneScalarsAndExplicitTagsAreReadAsThePlatformsReadThem() throws {
        let cloudFormation = """
            AWSTemplateFormatVersion: '2010-09-09'
            Resources:
              Db:
                Type: AWS::RDS::DBInstance
                Properties: {Engine: mysql, MultiAZ: no}
              Group:
                Type: AWS::AutoScaling::AutoScalingGroup
                Properties: {MinSize: 0x1, MaxSize: 1.0, AvailabilityZones: [a, b]}
              Values:
                Type: AWS::CloudFormation::WaitConditionHandle
                Properties: {on: On, y: y, octal: 010, float: 5.10, underscores: 1_000, tagged: !!int "0x10", text: !!str yes, quoted: 'no'}
            """
        let kubernetes = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: tagged}
            spec:
              replicas: !!int "1"
              selector: {matchLabels: {app: web}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: text}
            spec:
              replicas: !!str 3
              selector: {matchLabels: {app: web}}
            """
        let result = try scan(["template.yaml": cloudFormation, "deployments.yaml": kubernetes])
        let found = findings(result.report).map { "\($0.rule) \($0.severity) \($0.message)" }
        #expect(found.contains { $0.hasPrefix("single-instance-datastore high AWS::RDS::DBInstance Db has no standby") && $0.contains("MultiAZ is false") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("single-replica high AWS::AutoScaling::AutoScalingGroup Group") && $0.contains("MinSize is 1") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("single-replica high Deployment default/tagged runs 1 replica") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("single-replica info Deployment default/text") }, "!!str 3 is text, not a count: \(found)")

        let template = try template(cloudFormation)
        let values = try #require(template.resource("Values")?.properties)
        let expected = ["on": "true", "y": "true", "octal": "8", "float": "5.1", "underscores": "1000", "tagged": "16", "text": "yes", "quoted": "no"]
        for (key, text) in expected {
            #expect(template.evaluate(try #require(values[key])).value.text == text, "\(key)")
        }
    }

    @Test func aKeyGivenTwiceIsAnErrorInEveryReader() throws {
        let files = [
            "plain.yaml": "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec:\n  type: ClusterIP\n  ports: []\n  type: NodePort\n",
            // The anchor leaves the fast path: libyaml's events read this one.
            "anchored.yaml": "apiVersion: v1\nkind: Service\nmetadata: &m {name: b, name: c}\n",
            "template.json": "{\"AWSTemplateFormatVersion\": \"2010-09-09\",\n \"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"},\n   \"A\": {\"Type\": \"AWS::SQS::Queue\"}}}\n",
            // A merged key that a written key overrides is no duplicate, as in Kubernetes' decoder.
            "merged.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: merged}\nbase: &base {replicas: 1, paused: false}\nspec:\n  <<: *base\n  replicas: 3\n",
        ]
        let result = try scan(files)
        #expect(result.status == 2)
        let errors = diagnostics(result.report).filter { $0.level == "error" }.map { "\($0.at) \($0.message)" }.sorted()
        #expect(errors == [
            "anchored.yaml:3:24 the key \"name\" is given twice in one mapping (first at line 3); the file was not audited",
            "plain.yaml:7:3 the key \"type\" is given twice in one mapping (first at line 5); the file was not audited",
            "template.json:3:4 the key \"A\" is given twice in one mapping (first at line 2); the file was not audited",
        ], "\(errors)")
        let audited = findings(result.report).map(\.message)
        #expect(audited.contains { $0.contains("survivor") })
        #expect(!audited.contains { $0.contains("merged") && $0.contains("1 replica") }, "the written replicas: 3 wins")

        // Both YAML readers refuse the same mapping at the same key.
        let text = Array(files["plain.yaml"]!.utf8)
        let readers: [() throws -> [Node]] = [{ try YAMLReader(limits: ReaderLimits()).read(text) },
                                              { try YAMLReader(limits: ReaderLimits()).readWithLibyaml(text) }]
        for read in readers {
            #expect(throws: ReadError(message: "the key \"type\" is given twice in one mapping (first at line 5)", position: Position(line: 7, column: 3))) {
                try read()
            }
        }
    }

    @Test func anEmptyNamespaceIsTheDefaultNamespace() throws {
        let manifests = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: ""}
            spec:
              replicas: 3
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: "nginx:1"}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {selector: {app: web}, ports: [{port: 80}]}
            """
        let result = try scan(["web.yaml": manifests])
        let found = findings(result.report).filter { $0.path == "web.yaml" }
        #expect(!found.contains { $0.rule == "dangling-service" }, "\(found)")
        #expect(found.contains { $0.message.contains("Deployment default/web") }, "\(found)")
    }

    @Test func anUnclosedSubstitutionAndANegativeSelectAreUnknown() throws {
        let text = Self.header + """
            Conditions:
              Unclosed: !Equals [!Sub 'db-${Env', x]
            Resources:
              Values:
                Type: AWS::CloudFormation::WaitConditionHandle
                Properties:
                  unclosed: !Sub 'db-${Env'
                  negative: !Select [-1, !GetAZs '']
                  negativeOfList: !Select ['-1', [a, b]]
                  outOfRange: !Select [2, [a, b]]
              Db:
                Type: AWS::RDS::DBInstance
                Properties: {Engine: mysql, MultiAZ: !If [Unclosed, true, false]}

            """
        let result = try scan(["template.yaml": text])
        let warnings = diagnostics(result.report).filter { $0.level == "warning" }.map { "\($0.at) \($0.message)" }
        #expect(warnings == ["template.yaml:5:22 Fn::Sub has a ${ that is never closed; its value is unknown"], "\(warnings)")

        let template = try template(text)
        let values = try #require(template.resource("Values")?.properties)
        #expect(template.evaluate(try #require(values["unclosed"])).value.unknownReason == "Fn::Sub has a ${ that is never closed")
        #expect(template.evaluate(try #require(values["negative"])).value.unknownReason == "Fn::Select index -1 is negative")
        #expect(template.evaluate(try #require(values["negativeOfList"])).value.unknownReason == "Fn::Select index -1 is negative")
        #expect(template.evaluate(try #require(values["outOfRange"])).value.unknownReason == "Fn::Select index 2 is out of range")
    }
}

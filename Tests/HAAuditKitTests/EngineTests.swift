import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

@Suite("Engine")
struct EngineTests {
    func audit(_ text: String, file: String = "test.yaml") throws -> AuditResult {
        Audit(policy: try Policy.load("default")).run(sources: [(file, text)])
    }

    /// The library gives the answer `haaudit scan` exits with (DESIGN section 5).
    @Test func theGateJudgesFindingsScoreAndIncompleteInput() throws {
        let oneReplica = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n"
        let result = try audit(oneReplica)
        #expect(Gate().judge(result) == .failed)
        #expect(Gate(failOn: .critical).judge(result) == .passed)
        #expect(Gate(failOn: nil, minScore: 100).judge(result) == .failed)
        #expect(Gate(failOn: nil, minScore: result.score.overall).judge(result) == .passed)
        let broken = try audit("a: [")
        #expect(Gate(failOn: nil).judge(broken) == .incomplete)
    }

    @Test func severityRanksAreTheirPositionsInAllCases() {
        for (position, severity) in Severity.allCases.enumerated() { #expect(severity.rank == position) }
    }

    @Test func aSuppressionOnEitherObjectSilencesACrossResourceFinding() throws {
        let budget = """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: web}
            spec:
              minAvailable: 2
              selector: {matchLabels: {app: web}}
            """
        let deployment = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              annotations:
                ignore.haaudit.dev/disruption-budget-blocks-eviction: "drained by hand during the maintenance window"
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: nginx}]
            """
        let findings = try audit(budget + "\n---\n" + deployment).findings.filter { $0.ruleName == "disruption-budget-blocks-eviction" }
        #expect(findings.count == 1)
        #expect(findings.first?.isSuppressed == true)
        #expect(findings.first?.suppression?.reason == "drained by hand during the maintenance window")
        #expect(findings.first?.component.kind == "PodDisruptionBudget")
    }

    /// `all` silences every rule, but not the finding about itself: an `all` without a reason
    /// would otherwise hide that it has none.
    @Test(arguments: [
        ("test.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: leader
              annotations: {ignore.haaudit.dev/all: ""}
            spec: {replicas: 1, selector: {matchLabels: {app: web}}}
            """),
        ("test.yaml", """
            AWSTemplateFormatVersion: '2010-09-09'
            Resources:
              Scratch:
                Type: AWS::RDS::DBInstance
                Metadata: {haaudit: {ignore: {all: ""}}}
                Properties: {Engine: postgres, MultiAZ: false}
            """),
        ("ServiceDefinition.csdef", """
            <?xml version="1.0" encoding="utf-8"?>
            <ServiceDefinition name="Shop" xmlns="http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition">
              <!-- haaudit:ignore all -->
              <WorkerRole name="Batch" vmsize="Small" />
            </ServiceDefinition>
            """),
    ])
    func anUnexplainedAllSuppressionIsStillReported(file: String, text: String) throws {
        let findings = try audit(text, file: file).findings
        let aboutAll = findings.filter { $0.ruleName == "unjustified-suppression" }
        #expect(aboutAll.count == 1)
        #expect(aboutAll.allSatisfy { !$0.isSuppressed }, "\(aboutAll.map(\.message))")
        #expect(findings.contains { $0.ruleName != "unjustified-suppression" })
        #expect(findings.allSatisfy { $0.ruleName == "unjustified-suppression" || $0.isSuppressed })
    }

    @Test func aSuppressionSilencesFindingsAboutOtherSuppressionsButNotAboutItself() throws {
        let findings = try audit("""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: leader
              annotations:
                ignore.haaudit.dev/unjustified-suppression: ""
                ignore.haaudit.dev/single-replica: ""
            spec: {replicas: 1, selector: {matchLabels: {app: web}}}
            """).findings.filter { $0.ruleName == "unjustified-suppression" }
        #expect(findings.count == 2)
        #expect(findings.first { $0.message.contains("suppresses single-replica") }?.isSuppressed == true)
        #expect(findings.first { $0.message.contains("suppresses unjustified-suppression") }?.isSuppressed == false)
    }

    @Test func aCronJobsPodTemplateAnnotationSuppresses() throws {
        let result = try audit("""
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: report}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    metadata:
                      annotations:
                        ignore.haaudit.dev/missing-readiness-probe: "a batch job serves nothing"
                    spec:
                      restartPolicy: OnFailure
                      containers: [{name: report, image: report, ports: [{containerPort: 8080}]}]
            """)
        let component = try #require(result.topology.components.first { $0.kind == "CronJob" })
        #expect(component.suppressions["missing-readiness-probe"]?.reason == "a batch job serves nothing")
    }

    @Test func anUnknownValueIsReportedAtInfoNamingWhatCouldNotBeResolved() throws {
        let result = try audit("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: "{{ .Values.replicas }}"
              selector: {matchLabels: {app: web}}
            """)
        let finding = try #require(result.findings.first { $0.ruleName == "single-replica" })
        #expect(finding.severity == .info)
        #expect(finding.message.contains("cannot be resolved"))
        #expect(finding.location.line == 5)
    }

    @Test func fingerprintsStayTheSameFromRunToRunAndVersionToVersion() {
        // FNV-1a, 64-bit, of "single-replica\0k8s:shop/Deployment/web\0container/app": baselines
        // written by earlier versions must still match.
        #expect(Fingerprint.of(rule: "single-replica", component: "k8s:shop/Deployment/web", key: "container/app") == "21be3dd434a1cbd6")
    }

    @Test func scoresAreTheMeanOfEvaluatedComponentsAndHighFindingsCapTheGrade() throws {
        let result = try audit("""
            apiVersion: v1
            kind: Service
            metadata: {name: lonely}
            spec:
              selector: {app: lonely}
              ports: [{port: 80}]
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec:
                  containers: [{name: agent, image: example/agent:1, resources: {requests: {cpu: 10m, memory: 16Mi}},
                                livenessProbe: {exec: {command: [true]}}}]
            """)
        // In document order: the Service loses 20 (dangling-service, high); the DaemonSet is clean.
        #expect(result.score.components.map(\.score) == [80, 100])
        #expect(result.score.overall == 90)
        #expect(result.score.grade == "C")
    }

    @Test func selectorsMatchControllerAddedPodLabels() throws {
        let result = try audit("""
            apiVersion: v1
            kind: Service
            metadata: {name: db-1}
            spec:
              selector: {app: db, statefulset.kubernetes.io/pod-name: db-1}
              ports: [{port: 5432}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: other-1}
            spec:
              selector: {app: db, statefulset.kubernetes.io/pod-name: other-1}
              ports: [{port: 5432}]
            ---
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: db}
            spec:
              replicas: 3
              serviceName: db
              selector: {matchLabels: {app: db}}
              template:
                metadata: {labels: {app: db}}
                spec:
                  containers: [{name: db, image: postgres}]
            """)
        let dangling = result.findings.filter { $0.ruleName == "dangling-service" }.map(\.component.name)
        #expect(dangling == ["other-1"])
    }
}

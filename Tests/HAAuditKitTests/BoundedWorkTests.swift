import Foundation
import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditParallel
@testable import HAAuditReaders
@testable import HAAuditReporters
@testable import HAAuditRules

/// Small hostile inputs that used to cost time or memory out of proportion to their size: each
/// must finish in seconds, and what it reports must stay bounded. The counts catch a quadratic
/// path for certain; the time limits, which the tests share with other suites running beside
/// them on a loaded machine, only catch a blow-up (main never finished the glob).
@Suite("Bounded work", .serialized)
struct BoundedWorkTests {
    /// Runs the debug binary on one file holding `text`, and times it.
    func run(_ arguments: [String], on text: String, configuration: String? = nil) throws -> (run: HAAuditRun, seconds: Double) {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(text.utf8).write(to: folder.appendingPathComponent("input.yaml"))
        if let configuration { try Data(configuration.utf8).write(to: folder.appendingPathComponent(".haaudit.yaml")) }
        let started = Date()
        let run = try runHAAudit(arguments, in: folder.path)
        return (run, Date().timeIntervalSince(started))
    }

    func json(_ run: HAAuditRun) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]) ?? [:]
    }

    func findings(_ run: HAAuditRun, rule: String) -> [[String: Any]] {
        (json(run)["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == rule }
    }

    /// `services` Services and `workloads` Deployments in one namespace, all behind `app: web`;
    /// the Services target a port no container declares.
    func servicesBehindOneLabel(_ services: Int, _ workloads: Int) -> String {
        let deployments = (0..<workloads).map { index in
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web-\(index), namespace: shop}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n"
                + "  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n"
        }
        let serviceDocuments = (0..<services).map { index in
            "apiVersion: v1\nkind: Service\nmetadata: {name: svc-\(index), namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80, targetPort: http}]\n"
        }
        return (deployments + serviceDocuments).joined(separator: "---\n")
    }

    /// Main numbered each copy by trying every number taken before it: 8 s in a release build,
    /// several times that in the debug build the tests run. Now about 2 s in debug, most of it
    /// writing 18,000 findings as JSON; the limit leaves room for a loaded machine.
    @Test func thousandsOfIdenticalObjectsInOneFile() throws {
        let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n"
        let result = try run(["scan", ".", "--format", "json"], on: Array(repeating: deployment, count: 6000).joined(separator: "---\n"))
        #expect(result.seconds < timeBound(15))
        let ids = Set((json(result.run)["findings"] as? [[String: Any]] ?? []).compactMap { ($0["component"] as? [String: Any])?["id"] as? String })
        #expect(ids.count == 6000)
        #expect(ids.contains("k8s:shop/Deployment/web@input.yaml#5999"))
    }

    @Test func relatedLocationsAreCappedWithACount() throws {
        let result = try run(["scan", ".", "--format", "json"], on: servicesBehindOneLabel(300, 300))
        #expect(result.seconds < timeBound(20))
        let ports = findings(result.run, rule: "undefined-named-port")
        #expect(ports.count == 300)
        for finding in ports {
            #expect((finding["relatedLocations"] as? [Any])?.count == RelatedLocation.limit)
            #expect((finding["message"] as? String)?.hasSuffix("(20 related locations listed, and 280 more.)") == true)
        }
    }

    @Test func aServiceGroupIsMatchedAndStoredOnce() throws {
        let text = servicesBehindOneLabel(600, 600)
        let topology = try run(["topology", ".", "--format", "json"], on: text)
        #expect(topology.seconds < timeBound(20))
        let report = json(topology.run)
        // 600 x 20 listed, 600 x 580 counted: not 360,000 relationships.
        #expect((report["relationships"] as? [Any])?.count == 600 * Relationship.listedPerSource)
        let omitted = report["omittedRelationships"] as? [[String: Any]] ?? []
        #expect(omitted.count == 600 && omitted.allSatisfy { $0["count"] as? Int == 580 })
        for format in ["mermaid", "dot"] {
            let graph = try run(["topology", ".", "--format", format], on: text)
            #expect(graph.seconds < timeBound(20))
            #expect(graph.run.stdout.components(separatedBy: "\n").count < 600 * 25 + 1300)
            #expect(graph.run.stdout.contains("and 580 more"))
        }
        let simulation = try run(["simulate", ".", "--fail", "zone"], on: text)
        #expect(simulation.seconds < timeBound(20))
        #expect(simulation.run.stdout.contains("1200 components"))
    }

    @Test func manyBudgetsAutoscalersAndIngressesOnTheSameTargets() throws {
        var documents: [String] = []
        for _ in 0..<60 {
            documents.append("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n"
                + "  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n")
            documents.append("apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n")
        }
        for index in 0..<300 {
            documents.append("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: pdb-\(index), namespace: shop}\nspec:\n  minAvailable: 1000\n  selector: {matchLabels: {app: web}}\n")
            documents.append("apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: hpa-\(index), namespace: shop}\nspec:\n"
                + "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 1\n  maxReplicas: 3\n")
            documents.append("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: ing-\(index), namespace: shop}\n"
                + "spec:\n  defaultBackend: {service: {name: web, port: {number: 81}}}\n")
        }
        let result = try run(["scan", ".", "--format", "json"], on: documents.joined(separator: "---\n"))
        #expect(result.seconds < timeBound(20))
        let budgets = findings(result.run, rule: "disruption-budget-blocks-eviction")
        #expect(budgets.count == 300)
        for finding in budgets {
            let message = finding["message"] as? String ?? ""
            // The message names 20 of the 60 replica counts, and the report lists 20 of the 60 workloads.
            #expect(message.contains("; and 40 more)") && message.hasSuffix("(20 related locations listed, and 40 more.)"), "\(message)")
            #expect((finding["relatedLocations"] as? [Any])?.count == RelatedLocation.limit)
        }
        #expect(findings(result.run, rule: "dangling-ingress").count == 300)
    }

    @Test func globsMatchInPolynomialTime() throws {
        let deep = Array(repeating: "a", count: 24).joined(separator: "/")
        let started = Date()
        #expect(!Glob(Array(repeating: "**", count: 9).joined(separator: "/") + "/x").matches(deep + "/y.yaml"))
        #expect(!Glob(String(repeating: "a*", count: 15) + "b").matches(String(repeating: "a", count: 200)))
        #expect(Date().timeIntervalSince(started) < timeBound(5))
        #expect(Glob("**/**/a/**/x.yaml").matches(deep + "/x.yaml"))
        #expect(Glob("a/**/**/a").matches("a/a"))
        #expect(!Glob("a/**/b/**").matches("a/c"))

        // The same through a configuration's exclude and ignore: the file is excluded, and nothing hangs.
        let stars = Array(repeating: "**", count: 20).joined(separator: "/")
        let configuration = "exclude:\n  - \"\(stars)/x\"\n  - \"\(stars)/input.yaml\"\nignore:\n  - rule: all\n    path: \"\(stars)/x\"\n    component: \"\(String(repeating: "a*", count: 15))b\"\n"
        let result = try run(["scan", ".", "--format", "json"], on: "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {replicas: 1, selector: {matchLabels: {app: web}}}\n",
                             configuration: configuration)
        #expect(result.seconds < timeBound(20))
        #expect((json(result.run)["findings"] as? [Any])?.isEmpty == true, "\(result.run.stdout)")
    }
}

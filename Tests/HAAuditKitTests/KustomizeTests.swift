import Foundation
import Testing
@testable import HAAuditEngine
@testable import HAAuditReaders

/// Rendering needs the user's kustomize or kubectl: without either the rendering tests are
/// skipped, visibly; the rest (roots, closures, the fallback, standard input) runs everywhere.
let kustomizeAvailable = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains { folder in
    ["kustomize", "kubectl"].contains { FileManager.default.isExecutableFile(atPath: "\(folder)/\($0)") }
}
let needsKustomize: Comment = "needs kustomize or kubectl on PATH to render kustomizations"

@Suite struct KustomizeTests {
    let shop = "\(packageRoot)/fixtures/kustomize/shop"

    @Test func rootsAreTheKustomizationsNoOtherReferencesComponentsAside() {
        let folders = ["base", "overlays/dev", "overlays/prod", "overlays/solo", "overlays/remote", "components/debug"].map { "\(shop)/\($0)" }
        let graph = KustomizationGraph(folders: folders)
        #expect(graph.roots == ["overlays/dev", "overlays/prod", "overlays/remote", "overlays/solo"].map { "\(shop)/\($0)" })
        #expect(graph.auxiliaryFiles == Set(["components/debug/debug.yaml", "overlays/prod/replicas.yaml", "overlays/remote/replicas.yaml", "overlays/solo/replicas.yaml"].map { "\(shop)/\($0)" }))
        let dev = graph.closure(of: "\(shop)/overlays/dev")
        #expect(dev.files.isSuperset(of: ["base/deployment.yaml", "base/service.yaml", "overlays/dev/hpa.yaml", "components/debug/debug.yaml"].map { "\(shop)/\($0)" }))
        #expect(dev.remoteReferences.isEmpty)
        #expect(graph.closure(of: "\(shop)/overlays/remote").remoteReferences == ["https://github.com/example/shop//deploy?ref=v1.0.0"])
    }

    @Test func remoteReferencesAreToldApart() {
        for remote in ["https://github.com/a/b//c?ref=v1", "github.com/a/b/c", "git::https://x/y", "git@github.com:a/b.git", "../x?ref=main"] {
            #expect(Kustomization.isRemote(remote), "\(remote)")
        }
        for local in ["../../base", "deployment.yaml", "/abs/base"] { #expect(!Kustomization.isRemote(local), "\(local)") }
    }

    @Test(.enabled(if: kustomizeAvailable, needsKustomize))
    func renderedRootsAreVariantsTracedToTheirFiles() throws {
        let run = try runHAAudit(["scan", "shop", "--format", "json"], in: "\(packageRoot)/fixtures/kustomize",
                                 environment: ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        func located(_ finding: [String: Any]) -> String {
            let location = finding["location"] as? [String: Any] ?? [:]
            return "\(location["path"] ?? ""):\(location["line"] ?? "")"
        }
        func component(_ finding: [String: Any]) -> String { (finding["component"] as? [String: Any])?["id"] as? String ?? "" }
        // The field a patch set anchors on the patch; the solo overlay's Deployment is not scaled
        // by the dev overlay's autoscaler of the same name and namespace.
        let single = findings.filter { $0["rule"] as? String == "single-replica" }
        #expect(single.map(component) == ["k8s:shop/Deployment/api@fixtures/kustomize/shop/overlays/solo"])
        #expect(single.map(located) == ["shop/overlays/solo/replicas.yaml:6"])
        // What the base wrote anchors in the base, each variant its own component.
        let spread = findings.filter { $0["rule"] as? String == "no-node-spread" }
        #expect(Set(spread.map(located)) == ["shop/base/deployment.yaml:10"])
        #expect(spread.map(component).sorted() == ["dev", "prod"].map { "k8s:shop/Deployment/api@fixtures/kustomize/shop/overlays/\($0)" })
        #expect(!findings.contains { located($0).contains("components/debug") || located($0).contains("overlays/prod/replicas") })
        // Only the remote root is not rendered.
        let diagnostics = report["diagnostics"] as? [[String: Any]] ?? []
        #expect(diagnostics.count == 1)
        #expect((diagnostics.first?["message"] as? String)?.contains("shop/overlays/remote was not rendered") == true)
    }

    @Test func withoutKustomizeEachRootIsScannedRawWithOneWarningAndNoPatch() throws {
        let run = try runHAAudit(["scan", "shop", "--kustomize", "/nonexistent/kustomize"], in: "\(packageRoot)/fixtures/kustomize")
        #expect(run.status == 0, "\(run.stdout)")
        let warnings = run.stdout.split(separator: "\n").filter { $0.contains(" warning kustomization ") }
        #expect(warnings.count == 4)
        #expect(warnings.contains { $0.hasPrefix("shop/overlays/prod/kustomization.yaml:1:1") && $0.contains("/nonexistent/kustomize is not an executable file") })
        #expect(!run.stdout.contains("replicas.yaml"))
        #expect(!run.stdout.contains("debug.yaml"))
        #expect(run.stdout.contains("shop/base/deployment.yaml:"))
        #expect(run.stdout.contains("4 kustomizations not rendered (scanned as written)"))
    }

    @Test func standardInputKeepsTheFilesOfOriginAnnotations() throws {
        let rendered = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              namespace: shop
              annotations:
                config.kubernetes.io/origin: |
                  path: fixtures/kustomize/shop/base/deployment.yaml
            spec:
              replicas: 1
              selector:
                matchLabels: {app: api}
            """
        let run = try runHAAudit(["scan", "-"], stdin: rendered)
        #expect(run.stdout.contains("fixtures/kustomize/shop/base/deployment.yaml:6:3 high single-replica Deployment shop/api"), "\(run.stdout)")
        #expect(!run.stdout.contains("<stdin>"))
    }
}

@Suite struct KustomizeFailureTests {
    @Test func aFailureSaysItsInnermostCause() {
        let line = #"E1201 07:28:26.676019   14023 run.go:72] "command failed" err="accumulating resources: accumulation err='x': recursed accumulation of path '/a/b': evalsymlink failure on '/a/b/s.sh' : lstat /a/b/scripts: no such file or directory""#
        #expect(KustomizeBinary.cause(line) == "lstat /a/b/scripts: no such file or directory")
        #expect(KustomizeBinary.cause("Error: json: cannot unmarshal string") == "json: cannot unmarshal string")
    }
}

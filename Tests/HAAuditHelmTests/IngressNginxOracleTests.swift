import Foundation
import Testing
@testable import HAAuditHelm

/// kubernetes/ingress-nginx renders `deploy/static/provider/*/deploy.yaml` from its chart with
/// provider values kept outside the snapshot in `../shared/repos`: the chart rendered as release
/// `ingress-nginx` in namespace `ingress-nginx` yields the same objects, and the controller
/// Deployment the same image and arguments the maintainers' manifest has.
@Suite("ingress-nginx chart against its rendered manifests")
struct IngressNginxOracleTests {
    static let repository = "\(TypedJSON.conformanceRoot.deletingLastPathComponent().path)/repos/kubernetes__ingress-nginx"

    @Test(.enabled(if: FileManager.default.fileExists(atPath: repository), "../shared/repos is beside the repository (CI)"))
    func theCloudManifestsObjects() throws {
        let (_, templates) = try ChartRenderHelpers.render(
            chartDirectory: "\(Self.repository)/charts/ingress-nginx",
            sets: ["controller.service.externalTrafficPolicy=Local"],
            release: HelmRelease(name: "ingress-nginx", namespace: "ingress-nginx"))
        let rendered = try ChartRenderHelpers.objects(templates.map(\.text).joined(separator: "\n---\n"))
        let manifest = try String(contentsOfFile: "\(Self.repository)/deploy/static/provider/cloud/deploy.yaml", encoding: .utf8)
        // The maintainers prepend the Namespace; the chart does not render one.
        let expected = try ChartRenderHelpers.objects(manifest).filter { !$0.key.contains("/Namespace/") }
        // Helm puts objects without a namespace in the release's; the static manifest spells it.
        let renderedNames = Set(rendered.keys.map { $0.replacingOccurrences(of: "//", with: "/ingress-nginx/") })
        let expectedNames = Set(expected.keys.map { $0.replacingOccurrences(of: "//", with: "/ingress-nginx/") })
        #expect(expectedNames.count >= 15)
        #expect(expectedNames.subtracting(renderedNames).isEmpty, "missing: \(expectedNames.subtracting(renderedNames).sorted())")
        let controllerKey = "apps/v1/Deployment/ingress-nginx/ingress-nginx-controller"
        func container(_ objects: [String: TemplateValue], _ key: String) -> [String: TemplateValue]? {
            guard case .map(let object, _)? = objects[key] ?? objects[key.replacingOccurrences(of: "/ingress-nginx/ingress", with: "//ingress")],
                  case .map(let spec, _)? = object["spec"], case .map(let template, _)? = spec["template"],
                  case .map(let podSpec, _)? = template["spec"], case .list(let containers, _)? = podSpec["containers"],
                  case .map(let first, _)? = containers.first else { return nil }
            return first
        }
        let ours = try #require(container(rendered, controllerKey))
        let theirs = try #require(container(expected, controllerKey))
        #expect(ours["image"] == theirs["image"])
        #expect(ours["args"] == theirs["args"])
    }
}

import Testing
@testable import HAAuditEngine
@testable import HAAuditFrontends
@testable import HAAuditModel
@testable import HAAuditReaders

/// Copies of one object among plain files are alternatives: partners link to the nearest copy
/// (DESIGN section 11, "Variants"), and `contexts:` names explicit groups.
@Suite("Variants")
struct VariantsTests {
    static func deployment(_ name: String, replicas: Int? = nil, app: String? = nil) -> String {
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: \(name)}\nspec:\n"
            + (replicas.map { "  replicas: \($0)\n" } ?? "")
            + "  template:\n    metadata: {labels: {app: \(app ?? name)}}\n    spec: {containers: [{name: c, image: nginx}]}\n"
    }

    static func autoscaler(_ target: String, minReplicas: Int) -> String {
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: \(target)}\nspec:\n"
            + "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: \(target)}\n  minReplicas: \(minReplicas)\n  maxReplicas: 9\n"
    }

    static let service = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n"

    func topology(_ sources: [(path: String, text: String)], configuration: Configuration = Configuration()) throws -> Topology {
        var audit = Audit(policy: try Policy.load("default"))
        audit.configuration = configuration
        return audit.run(sources: sources).topology
    }

    func workload(_ topology: Topology, at path: String) -> Component? {
        topology.components.first { $0.location.path == path && $0.podLabels != nil }
    }

    func component(_ topology: Topology, at path: String) -> Component? {
        topology.components.first { $0.location.path == path }
    }

    @Test func foldersSharedFromTheTop() {
        let place = LinkPlace(path: "./extras/autoscaling/hpa/frontend.yaml", contexts: [])
        #expect(place.folders == ["extras", "autoscaling", "hpa"])
        #expect(place.sharedFolders(with: "extras/autoscaling/manifests/frontend.yaml") == 2)
        #expect(place.sharedFolders(with: "release/frontend.yaml") == 0)
        #expect(place.sharedFolders(with: "extras/autoscaling/hpa/x.yaml") == 3)
        #expect(place.sharedFolders(with: "frontend.yaml") == 0)
        #expect(place.sharedFolders(with: "./extras/autoscaling/hpa/frontend.yaml") == 4)
    }

    /// A folder of test cases, one file each: each file's partner links to its own file's copy.
    @Test func aCopyInThePartnersFileIsNearest() throws {
        let topology = try topology([
            ("cases/one.yaml", Self.deployment("web") + "---\n" + Self.autoscaler("web", minReplicas: 3)),
            ("cases/two.yaml", Self.deployment("web")),
        ])
        #expect(workload(topology, at: "cases/one.yaml")?.instances?.minimum.value == 3)
        #expect(workload(topology, at: "cases/two.yaml")?.instances?.minimum.value == 1)
    }

    /// An add-on's autoscaler scales its own copy; the default install keeps its one replica.
    @Test func anAutoscalerScalesTheNearestCopyOnly() throws {
        let topology = try topology([
            ("release/frontend.yaml", Self.deployment("frontend")),
            ("extras/autoscaling/manifests/frontend.yaml", Self.deployment("frontend")),
            ("extras/autoscaling/hpa/frontend.yaml", Self.autoscaler("frontend", minReplicas: 5)),
        ])
        #expect(workload(topology, at: "release/frontend.yaml")?.instances?.minimum.value == 1)
        #expect(workload(topology, at: "extras/autoscaling/manifests/frontend.yaml")?.instances?.minimum.value == 5)
    }

    /// Copies equally near (overlays beside a shared base) are all the partner's.
    @Test func copiesEquallyNearAllLink() throws {
        let topology = try topology([
            ("overlays/a/web.yaml", Self.deployment("web")),
            ("overlays/b/web.yaml", Self.deployment("web")),
            ("hpa.yaml", Self.autoscaler("web", minReplicas: 3)),
        ])
        #expect(workload(topology, at: "overlays/a/web.yaml")?.instances?.minimum.value == 3)
        #expect(workload(topology, at: "overlays/b/web.yaml")?.instances?.minimum.value == 3)
    }

    /// A selector picks the nearest of each set of copies and, of what it matches, the pods under
    /// the partner's own folder when there are any (examples side by side share labels).
    @Test func aSelectorPicksThePodsNearIt() throws {
        let topology = try topology([
            ("release/web.yaml", Self.deployment("web")),
            ("examples/web.yaml", Self.deployment("web")),
            ("shared/sidecar.yaml", Self.deployment("sidecar", app: "web")),
            ("examples/service.yaml", Self.service),
        ])
        let service = try #require(component(topology, at: "examples/service.yaml"))
        #expect(topology.targets(of: service, .selects).map(\.location.path) == ["examples/web.yaml"])
    }

    /// With nothing under its folder, a selector links across the run, every copy equally near.
    @Test func aSelectorWithNothingNearLinksAcrossTheRun() throws {
        let topology = try topology([
            ("release/web.yaml", Self.deployment("web")),
            ("examples/web.yaml", Self.deployment("web")),
            ("shared/sidecar.yaml", Self.deployment("sidecar", app: "web")),
            ("services/web.yaml", Self.service),
        ])
        let service = try #require(component(topology, at: "services/web.yaml"))
        let selected = topology.targets(of: service, .selects).map(\.location.path).sorted()
        #expect(selected == ["examples/web.yaml", "release/web.yaml", "shared/sidecar.yaml"])
    }

    /// Objects link only within the contexts that hold them; files in no context link among
    /// themselves as before.
    @Test func contextsBoundLinking() throws {
        var configuration = Configuration()
        configuration.contexts = [
            .init(name: "prod", paths: [Glob("deploy/prod/**"), Glob("shared/**")]),
            .init(name: "dev", paths: [Glob("deploy/dev/**")]),
        ]
        let topology = try topology([
            ("deploy/prod/web.yaml", Self.deployment("web", replicas: 1)),
            ("deploy/dev/web2.yaml", Self.deployment("web2", replicas: 1, app: "web")),
            ("shared/hpa.yaml", Self.autoscaler("web", minReplicas: 4)),
            ("shared/service.yaml", Self.service),
            ("other/service.yaml", Self.service.replacingOccurrences(of: "name: web", with: "name: other")),
        ], configuration: configuration)
        #expect(workload(topology, at: "deploy/prod/web.yaml")?.instances?.minimum.value == 4)
        let service = try #require(component(topology, at: "shared/service.yaml"))
        #expect(topology.targets(of: service, .selects).map(\.location.path) == ["deploy/prod/web.yaml"])
        let outside = try #require(component(topology, at: "other/service.yaml"))
        #expect(topology.targets(of: outside, .selects).isEmpty)
    }

    @Test func contextsAreReadFromTheConfiguration() throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent(".haaudit.yaml").path
        try "contexts:\n  - name: prod\n    paths: [\"deploy/prod/**\", \"shared/**\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
        let configuration = try Configuration.load(path)
        #expect(configuration.contexts.map(\.name) == ["prod"])
        #expect(configuration.linkContexts.holding("shared/a/b.yaml") == [0])
        #expect(configuration.linkContexts.holding("deploy/dev/b.yaml") == [])
        try "contexts:\n  - name: prod\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: PolicyError.self) { try Configuration.load(path) }
    }
}

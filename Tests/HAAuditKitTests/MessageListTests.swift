import Testing
@testable import HAAuditEngine
@testable import HAAuditModel

/// Messages name what a list holds, or say it is empty; they never print an empty list.
@Suite("Message lists")
struct MessageListTests {
    func messages(_ text: String, rule: String) throws -> [String] {
        Audit(policy: try Policy.load("default")).run(sources: [("test.yaml", text)]).findings
            .filter { $0.ruleName == rule }.map(\.message)
    }

    @Test func podsWithoutLabels() throws {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n  selector: {matchLabels: {app: web}}\n"
            + "  template:\n    spec: {containers: [{name: web, image: nginx}]}\n"
        let found = try messages(text, rule: "no-disruption-budget")
        #expect(found == ["Deployment default/web runs several replicas, but no PodDisruptionBudget selects its pods, which carry no labels; a node drain may evict them all at once."])
    }

    @Test func aServiceWithoutPorts() throws {
        let text = """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: public}
            spec:
              defaultBackend: {service: {name: web, port: {number: 80}}}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {selector: {app: web}}
            """
        let found = try messages(text, rule: "dangling-ingress")
        #expect(found.count == 1 && found[0].hasSuffix("which exposes no port."), "\(found)")
    }

    @Test func anEmptySelectorThatMatchesNothing() throws {
        let text = """
            apiVersion: policy/v1
            kind: PodDisruptionBudget
            metadata: {name: all, namespace: shop}
            spec: {minAvailable: 1, selector: {}}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: other}
            spec:
              replicas: 2
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx}]}
            """
        let found = try messages(text, rule: "dangling-disruption-budget")
        #expect(!found.isEmpty && found.allSatisfy { $0.contains("selects every pod (an empty selector)") && !$0.contains("selects ,") }, "\(found)")
    }
}

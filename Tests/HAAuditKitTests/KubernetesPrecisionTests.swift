import Testing
@testable import HAAuditEngine
@testable import HAAuditModel

/// Which containers the Kubernetes frontend says serve traffic or only hold their place, as the
/// health rules see them.
@Suite("Kubernetes precision")
struct KubernetesPrecisionTests {
    func findings(_ text: String) throws -> [(rule: String, line: Int)] {
        Audit(policy: try Policy.load("default")).run(sources: [("test.yaml", text)]).findings.map { ($0.ruleName, $0.location.line) }
    }

    func deployment(_ container: String) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: app}
        spec:
          replicas: 2
          selector: {matchLabels: {app: app}}
          template:
            metadata: {labels: {app: app}}
            spec:
              containers:
                - \(container)
        """
    }

    @Test(arguments: [
        "{name: a, image: busybox, command: [tail, -f, /dev/null]}",
        "{name: a, image: busybox, command: [/bin/sh, -c, 'while true; do sleep 3600; done']}",
        "{name: a, image: busybox, command: [sleep], args: ['1d']}",
        "{name: a, image: 'registry.k8s.io/pause:3.9'}",
    ])
    func placeholdersNeedNoLivenessProbe(_ container: String) throws {
        #expect(!(try findings(deployment(container))).contains { $0.rule == "missing-liveness-probe" })
    }

    @Test func aCommandThatAlsoWorksIsNoPlaceholder() throws {
        let found = try findings(deployment("{name: a, image: busybox, command: [sh, -c, 'sleep 5 && ./run']}"))
        #expect(found.contains { $0.rule == "missing-liveness-probe" })
    }

    @Test func onlyTheContainersThatDeclareAPortServeWhenOneDoes() throws {
        let text = deployment("{name: web, image: nginx, ports: [{containerPort: 80}]}\n        - {name: watcher, image: example/watcher}") + """

            ---
            apiVersion: v1
            kind: Service
            metadata: {name: app}
            spec: {selector: {app: app}, ports: [{port: 80}]}
            """
        #expect(try findings(text).filter { $0.rule == "missing-readiness-probe" }.map(\.line) == [11])
    }

    @Test func aSelectorOnAKnownKeyWithAnUnknownValueIsCertain() throws {
        let text = deployment("{name: web, image: nginx}") + """

            ---
            apiVersion: v1
            kind: Service
            metadata: {name: other}
            spec: {selector: {app: ap}, ports: [{port: 80}]}
            """
        let result = Audit(policy: try Policy.load("default")).run(sources: [("test.yaml", text)])
        #expect(result.findings.first { $0.ruleName == "dangling-service" }?.severity == .high)
    }

    @Test func anOpenShiftDeploymentConfigIsAWorkload() throws {
        let text = """
            apiVersion: apps.openshift.io/v1
            kind: DeploymentConfig
            metadata: {name: web}
            spec:
              replicas: 1
              selector: {app: web}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: nginx}]
            """
        #expect(try findings(text).contains { $0.rule == "single-replica" })
    }
}

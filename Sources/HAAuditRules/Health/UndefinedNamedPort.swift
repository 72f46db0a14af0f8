import HAAuditModel

/// A probe or Service targetPort naming a port nobody declared.
public struct UndefinedNamedPort: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "undefined-named-port",
        code: "HA305",
        category: .health,
        severity: .critical,
        summary: "A probe or a Service targetPort names a port that the container does not declare.",
        rationale: """
            A named port resolves against the ports the container declares. A probe on an undeclared \
            name can never pass, so the pod never becomes ready (or is restarted forever); a Service \
            whose targetPort names no declared port has no endpoints and sends no traffic.
            """,
        remediation: "Declare the port under the container's `ports` with that name, or refer to a name (or number) that is declared.",
        notes: ["A Service is checked against the workloads its selector matches; a Service that selects nothing is left to `dangling-service`."],
        examples: [
            .triggers(.kubernetes, "A readiness probe on an undeclared name", line: 14, column: 58, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: nginx
                          ports: [{name: http, containerPort: 80}]
                          readinessProbe: {httpGet: {path: /ready, port: metrics}}
                """),
            .triggers(.kubernetes, "A Service targetPort naming an undeclared port", line: 7, column: 30, """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports:
                    - {port: 80, targetPort: web}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - {name: web, image: nginx, ports: [{name: http, containerPort: 80}]}
                """),
            .passes(.kubernetes, "Probe and Service name a declared port", """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  selector: {app: web}
                  ports:
                    - {port: 80, targetPort: http}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers:
                        - name: web
                          image: nginx
                          ports: [{name: http, containerPort: 80}]
                          readinessProbe: {httpGet: {path: /ready, port: http}}
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        if component.isService, let service = component.service {
            return serviceViolations(component, service, context.topology)
        }
        // Probe by probe, without copying probes: this rule asks every workload.
        var probesAPort = false
        var violations: [Violation] = []
        for container in component.containers {
            func check(_ kind: String, _ port: PortReference?) {
                guard let port else { return }
                probesAPort = true
                guard case .name(let name) = port.value, !container.declares(port) else { return }
                violations.append(Violation("The \(kind) probe of container \(container.name) in \(component.title) names port '\(name)', which the container does not declare; the probe can never pass.",
                                            at: port.location, key: "\(container.name)/\(kind)"))
            }
            check("readiness", container.readiness?.port)
            check("liveness", container.liveness?.port)
            check("startup", container.startup?.port)
        }
        return probesAPort ? violations : nil
    }

    private func serviceViolations(_ component: Component, _ service: ServiceFacet, _ topology: Topology) -> [Violation]? {
        let selected = topology.targets(of: component, .selects)
        guard !selected.isEmpty else { return nil }
        return service.ports.compactMap { port in
            guard let target = port.targetPort, case .name(let name) = target.value,
                  !selected.contains(where: { $0.containers.contains { $0.declares(target) } }) else { return nil }
            return Violation("\(component.title) targets port '\(name)', which no container of the workloads it selects declares; it sends no traffic.",
                             at: target.location,
                             related: selected.lazy.map { RelatedLocation("selected \($0.title)", at: $0.location) }, key: "port/\(name)")
        }
    }
}

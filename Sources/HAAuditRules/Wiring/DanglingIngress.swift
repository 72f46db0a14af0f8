import HAAuditModel

/// An Ingress backend naming a Service (or a Service port) that does not exist.
public struct DanglingIngress: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "dangling-ingress",
        code: "HA602",
        category: .wiring,
        severity: .high,
        summary: "An Ingress backend names a Service, or a Service port, that does not exist.",
        rationale: """
            An Ingress routes to Services by name and port in its own namespace. A backend whose \
            Service is missing, or that names a port the Service does not expose, answers every \
            request on that path with an error.
            """,
        remediation: "Point the backend at an existing Service in the Ingress's namespace, with a port number or name that Service exposes.",
        notes: [
            "Rules' backends and the default backend are checked, for networking.k8s.io/v1 and the older extensions/v1beta1 and networking.k8s.io/v1beta1 forms; resource backends are not.",
            "When the scan holds no Service of the namespace, or a custom resource named like the Service may create it, the finding is uncertain and reported at info.",
        ],
        examples: [
            .triggers(.kubernetes, "A backend Service that does not exist", line: 13, column: 15, """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: public}
                spec:
                  defaultBackend:
                    service: {name: web, port: {number: 80}}
                  rules:
                    - http:
                        paths:
                          - path: /api
                            pathType: Prefix
                            backend:
                              service: {name: api, port: {number: 80}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  ports: [{port: 80}]
                """),
            .triggers(.kubernetes, "A port the Service does not expose", line: 6, column: 41, """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: public}
                spec:
                  defaultBackend:
                    service: {name: web, port: {number: 8080}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  ports: [{name: http, port: 80}]
                """),
            .passes(.kubernetes, "Backends by port number and by port name", """
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: public}
                spec:
                  defaultBackend:
                    service: {name: web, port: {number: 80}}
                  rules:
                    - http:
                        paths:
                          - path: /
                            pathType: Prefix
                            backend:
                              service: {name: web, port: {name: http}}
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec:
                  ports: [{name: http, port: 80}]
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard let ingress = component.ingress, !ingress.backends.isEmpty else { return nil }
        let topology = context.topology
        let namespace = component.namespace ?? "default"
        // By backend, so that many backends to many copies of a Service cost no product.
        let routes = Dictionary(grouping: topology.outgoing(component, .routesTo), by: \.location)
        return ingress.backends.compactMap { backend in
            // Several copies of one Service (variants of an example) are alternatives: one that
            // exposes the port is enough.
            let services = (routes[backend.location] ?? []).compactMap { topology[$0.to] }
            guard let service = services.first else {
                if let reason = UnresolvedReference.reasonItMayExist(in: namespace, target: .services,
                                                                     hints: [backend.serviceName], topology: topology) {
                    return Violation("\(component.title) routes to Service \(backend.serviceName), which is not in the scanned files; \(reason).",
                                     at: backend.location, isUncertain: true, key: backend.serviceName)
                }
                return Violation("\(component.title) routes to Service \(backend.serviceName), which does not exist in namespace \(namespace); requests on this route fail.",
                                 at: backend.location, key: backend.serviceName)
            }
            guard let port = backend.port,
                  !services.contains(where: { $0.service?.ports.contains { exposes($0, port.value) } ?? true }) else { return nil }
            let exposed = (service.service?.ports ?? []).map(describe)
            let offered = exposed.isEmpty ? "exposes no port" : "exposes only \(exposed.joined(separator: ", "))"
            return Violation("\(component.title) routes to port \(port.text) of \(service.title), which \(offered).",
                             at: port.location, related: [RelatedLocation("the Service", at: service.location)], involves: [service.id],
                             key: "\(backend.serviceName):\(port.text)")
        }
    }

    private func describe(_ port: ServiceFacet.Port) -> String {
        let number = port.port.map(String.init) ?? "?"
        guard let name = port.name else { return number }
        return "\(number) (\(name))"
    }

    private func exposes(_ port: ServiceFacet.Port, _ reference: PortReference.Value) -> Bool {
        switch reference {
        case .number(let number): port.port == number
        case .name(let name): port.name == name
        }
    }
}

/// An Ingress: the Services it routes to.
public struct IngressFacet: Sendable {
    public struct Backend: Sendable {
        public var serviceName: String
        public var port: PortReference?
        public var location: SourceLocation

        package init(serviceName: String, port: PortReference? = nil, location: SourceLocation) {
            self.serviceName = serviceName
            self.port = port
            self.location = location
        }
    }

    public var backends: [Backend]

    package init(backends: [Backend]) {
        self.backends = backends
    }
}

/// Its backends, which is all an Ingress is to the model.
extension IngressFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .array(backends.map { backend in
            .object([("service", .string(backend.serviceName)), ("port", .optional(backend.port?.text)),
                     ("location", backend.location.topologyDescription)])
        })
    }
}

/// A Kubernetes Service: what it selects and the ports it forwards.
public struct ServiceFacet: Sendable {
    public struct Port: Sendable {
        public var name: String?
        public var port: Int?
        public var targetPort: PortReference?
        public var location: SourceLocation

        package init(
            name: String? = nil,
            port: Int? = nil,
            targetPort: PortReference? = nil,
            location: SourceLocation
        ) {
            self.name = name
            self.port = port
            self.targetPort = targetPort
            self.location = location
        }
    }

    /// Nil for a Service without a selector (its endpoints are managed by hand).
    public var selector: LabelSelector?
    public var selectorLocation: SourceLocation?
    public var ports: [Port]
    public var type: String
    /// When the selector selects nothing in its own namespace: the workloads it would select in
    /// others (a namespace mix-up).
    public var matchesInOtherNamespaces: [String] = []
    /// When the selector selects nothing: the label keys it uses that no pod template of its
    /// namespace carries, though some pod templates are there (labels added at run time, likely).
    public var labelKeysOnNoPodTemplate: [String] = []
    /// Whether it is headless (`clusterIP: None`): no virtual IP, DNS names its pods one by one,
    /// as a StatefulSet's governing Service must. Nil for a Service lowered without it.
    public var headless: Fact<Bool>?

    package init(
        selector: LabelSelector? = nil,
        selectorLocation: SourceLocation? = nil,
        ports: [Port],
        type: String,
        matchesInOtherNamespaces: [String] = []
    ) {
        self.selector = selector
        self.selectorLocation = selectorLocation
        self.ports = ports
        self.type = type
        self.matchesInOtherNamespaces = matchesInOtherNamespaces
    }
}

extension ServiceFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        var items: [(String, JSONValue)] = [
            ("type", .string(type)),
            ("selector", .optional(selector?.description)),
            ("ports", .array(ports.map { port in
                .object([("name", .optional(port.name)), ("port", port.port.map(JSONValue.int) ?? .null),
                         ("targetPort", .optional(port.targetPort?.text))])
            })),
        ]
        // Said only of headless Services, the few, so that the others read as before.
        if headless?.value == true { items.append(("headless", true)) }
        return .object(items)
    }
}

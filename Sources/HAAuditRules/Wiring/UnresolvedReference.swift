import HAAuditModel

/// Telling a reference that is really broken from one whose target was simply not scanned.
///
/// A Service whose selector finds no pod is a real outage when its namespace's workloads are in
/// the scan; it is only a guess when the scan holds no workload of that namespace at all, or when
/// a custom resource there (an operator's Prometheus, Kafka, ...) will create the pods. Guesses
/// are reported as uncertain (info), naming why (DESIGN section 1).
enum UnresolvedReference {
    enum Target {
        case workloads, services

        var noun: String {
            switch self {
            case .workloads: "workload"
            case .services: "Service"
            }
        }
    }

    /// Why a reference into `namespace` that found nothing may still be fine, or nil when the
    /// miss is certain. `hints` are the names the reference uses (selector values, a Service
    /// name): a custom resource with one of those names is taken to be what creates the target.
    static func reasonItMayExist(in namespace: String, target: Target, hints: [String], topology: Topology) -> String? {
        let contents = topology.namespaces[namespace] ?? NamespaceContents()
        let scanned = target == .workloads ? contents.workloads : contents.services
        if scanned == 0 {
            return "no \(target.noun) of namespace \(namespace) is in the scanned files"
        }
        if let creator = contents.opaqueObjects.first(where: { object in
            hints.contains { hint in hint == object.name || hint.hasPrefix(object.name + "-") }
        }) {
            let created = target == .workloads ? "the pods" : "the Service"
            return "the custom resource \(creator.kind) \(creator.name) (\(creator.location.description)) may create \(created)"
        }
        return nil
    }

    /// A custom resource of the namespace whose spec gives the pods it creates labels that
    /// `selector` selects (a Prometheus's `podMetadata`): the operator makes the pods it wants.
    static func customResourceCreatingPods(for selector: LabelSelector, in namespace: String, topology: Topology) -> OpaqueObject? {
        topology.namespaces[namespace]?.opaqueObjects.first { object in object.podLabels.contains(where: selector.matches) }
    }

    /// The finding for a selector (a Service's, a disruption budget's) that selects no pod in its
    /// namespace. Pods matching it in another namespace make it a namespace mix-up: certain when
    /// both sides name their namespace, uncertain when either leaves it to `kubectl apply -n`.
    static func unmatchedSelector(_ component: Component, _ selector: LabelSelector, at location: SourceLocation,
                                  elsewhere: [String], consequence: String, topology: Topology) -> Violation {
        let namespace = component.namespace ?? "default"
        let selects = selector.isEmpty ? "\(component.title) selects every pod (an empty selector)" : "\(component.title) selects \(selector.description)"
        let others = elsewhere.compactMap { topology[$0] }
        if !others.isEmpty {
            let places = Set(others.compactMap(\.namespace)).sorted().joined(separator: ", ")
            let related = others.lazy.map { RelatedLocation("\($0.title), whose pods match", at: $0.location) }
            if component.namespaceIsImplicit || others.contains(where: \.namespaceIsImplicit) {
                return Violation("\(selects), which matches pods only in namespace \(places); one side names no namespace, so they meet only if it is applied into the other's (kubectl apply -n).",
                                 at: location, related: related, isUncertain: true)
            }
            return Violation("\(selects), which matches no pod in namespace \(namespace), only in \(places); \(consequence).",
                             at: location, related: related,
                             remediation: "Put \(component.title) in the namespace of the pods it is meant for (\(places)), or move them.")
        }
        let hints = Array(selector.matchLabels.values) + selector.requirements.flatMap(\.values)
        if let reason = reasonItMayExist(in: namespace, target: .workloads, hints: hints, topology: topology) {
            return Violation("\(selects), which matches no pod template in the scanned files; \(reason).", at: location, isUncertain: true)
        }
        return Violation("\(selects), which matches no pod template in namespace \(namespace); \(consequence).", at: location)
    }
}

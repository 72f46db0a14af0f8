/// Correlates Kubernetes objects across every file of the run: Services and disruption budgets
/// to the pods they select, autoscalers to their targets, Ingresses to their Services.
enum KubernetesLinker {
    static func link(_ topology: inout Topology) {
        let pods = PodIndex(topology.components.filter { $0.platform == .kubernetes && $0.podLabels != nil })
        // By namespace and name; a list, because the same object may be written in several files.
        var servicesByName: [String: [String]] = [:]
        var workloadsByName: [String: [String]] = [:]
        for component in topology.components where component.platform == .kubernetes {
            let key = "\(component.namespace ?? "")/\(component.name)"
            if component.service != nil { servicesByName[key, default: []].append(component.id) }
            if component.podLabels != nil { workloadsByName["\(component.kind)/\(key)", default: []].append(component.id) }
        }

        for component in topology.components where component.platform == .kubernetes {
            let namespace = component.namespace ?? "default"
            if let selector = component.service?.selector, let at = component.service?.selectorLocation {
                for pod in pods.matching(selector, in: namespace) {
                    topology.relate(.selects, from: component.id, to: pod, at: at)
                }
            }
            if let budget = component.disruptionBudget {
                for pod in pods.matching(budget.selector, in: namespace) {
                    topology.relate(.protects, from: component.id, to: pod, at: budget.selectorLocation)
                }
            }
            if let ingress = component.ingress {
                for backend in ingress.backends {
                    for service in servicesByName["\(namespace)/\(backend.serviceName)"] ?? [] {
                        topology.relate(.routesTo, from: component.id, to: service, at: backend.location)
                    }
                }
            }
            guard let autoscaler = component.autoscaler else { continue }
            for target in workloadsByName["\(autoscaler.targetKind)/\(namespace)/\(autoscaler.targetName)"] ?? [] {
                topology.relate(.scales, from: component.id, to: target, at: autoscaler.targetLocation)
                topology.update(target) { workload in
                    // The autoscaler decides how few replicas run, whatever spec.replicas says.
                    workload.instances?.minimum = autoscaler.minReplicas
                    workload.instances?.maximum = autoscaler.maxReplicas
                }
            }
        }
    }
}

/// Pod-creating components by namespace, with a posting list per label, so that matching a
/// selector costs the size of its rarest label rather than the size of the namespace.
struct PodIndex {
    private var byNamespace: [String: [(id: String, labels: [String: String])]] = [:]
    private var byLabel: [String: [Int]] = [:]

    init(_ components: [Component]) {
        for component in components {
            let namespace = component.namespace ?? "default"
            let position = byNamespace[namespace, default: []].count
            byNamespace[namespace, default: []].append((component.id, component.podLabels ?? [:]))
            for (key, value) in component.podLabels ?? [:] {
                byLabel["\(namespace)\u{0}\(key)\u{0}\(value)", default: []].append(position)
            }
        }
    }

    /// Ids of the components whose pods the selector selects. An empty selector selects every
    /// pod in the namespace (as a PodDisruptionBudget's does).
    func matching(_ selector: LabelSelector, in namespace: String) -> [String] {
        guard let pods = byNamespace[namespace] else { return [] }
        var candidates: [Int]
        if selector.matchLabels.isEmpty {
            candidates = Array(pods.indices)
        } else {
            candidates = selector.matchLabels.map { byLabel["\(namespace)\u{0}\($0.key)\u{0}\($0.value)"] ?? [] }
                .min { $0.count < $1.count } ?? []
        }
        return candidates.filter { selector.matches(pods[$0].labels) }.map { pods[$0].id }
    }
}

/// Correlates Kubernetes objects across every file of the run: Services and disruption budgets
/// to the pods they select, autoscalers to their targets, Ingresses to their Services.
enum KubernetesLinker {
    static func link(_ topology: inout Topology) {
        // One pass indexes every object; the second visits only those that name others, as the
        // components are scattered in memory and each visit costs a cache miss or two.
        var pods = PodIndex()
        // By namespace and name; a list, because the same object may be written in several files.
        var servicesByName: [NamedObject: [String]] = [:]
        var workloadsByName: [NamedObject: [String]] = [:]
        var referring: [Component] = []
        for component in topology.components where component.platform == .kubernetes {
            let namespace = component.namespace ?? "default"
            let service = component.service
            if service != nil {
                servicesByName[NamedObject(namespace: namespace, kind: "Service", name: component.name), default: []].append(component.id)
            }
            if let labels = component.podLabels {
                pods.add(component, labels: labels, namespace: namespace)
                workloadsByName[NamedObject(namespace: namespace, kind: component.kind, name: component.name), default: []].append(component.id)
            }
            if service?.selector != nil || component.disruptionBudget != nil || component.ingress != nil || component.autoscaler != nil {
                referring.append(component)
            }
        }

        for component in referring {
            let namespace = component.namespace ?? "default"
            if let selector = component.service?.selector, let at = component.service?.selectorLocation {
                let selected = pods.matching(selector, in: namespace)
                for pod in selected {
                    topology.relate(.selects, from: component.id, to: pod, at: at)
                }
                if selected.isEmpty {
                    let elsewhere = pods.matchingInOtherNamespaces(selector, than: namespace)
                    topology.update(component.id) { $0.service?.matchesInOtherNamespaces = elsewhere }
                }
            }
            if let budget = component.disruptionBudget {
                let selected = pods.matching(budget.selector, in: namespace)
                for pod in selected {
                    topology.relate(.protects, from: component.id, to: pod, at: budget.selectorLocation)
                }
                if selected.isEmpty {
                    let elsewhere = pods.matchingInOtherNamespaces(budget.selector, than: namespace)
                    topology.update(component.id) { $0.disruptionBudget?.matchesInOtherNamespaces = elsewhere }
                }
            }
            if let ingress = component.ingress {
                for backend in ingress.backends {
                    for service in servicesByName[NamedObject(namespace: namespace, kind: "Service", name: backend.serviceName)] ?? [] {
                        topology.relate(.routesTo, from: component.id, to: service, at: backend.location)
                    }
                }
            }
            guard let autoscaler = component.autoscaler else { continue }
            for target in workloadsByName[NamedObject(namespace: namespace, kind: autoscaler.targetKind, name: autoscaler.targetName)] ?? [] {
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

/// An object's identity within a run, as references name it.
private struct NamedObject: Hashable {
    var namespace: String
    var kind: String
    var name: String
}

/// A label of a pod, in a namespace: the key of the label index.
private struct NamespacedLabel: Hashable {
    var namespace: String
    var key: String
    var value: String
}

/// Pod-creating components by namespace, with a posting list per label, so that matching a
/// selector costs the size of its rarest label rather than the size of the namespace.
struct PodIndex {
    private struct Pods {
        var id: String
        var labels: [String: String]
        /// A StatefulSet's pods are named `<name>-<ordinal>` and labelled so by the controller.
        var podNamePrefix: String?
    }

    /// Labels that controllers put on the pods they create; manifests never write them in the
    /// template, but Services may select by them (a StatefulSet's per-pod Services do).
    static let controllerLabels: Set<String> = [
        "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index", "controller-revision-hash",
        "pod-template-hash", "controller-uid", "batch.kubernetes.io/controller-uid", "job-name", "batch.kubernetes.io/job-name",
    ]
    static let podNameLabel = "statefulset.kubernetes.io/pod-name"

    private var byNamespace: [String: [Pods]] = [:]
    private var byLabel: [NamespacedLabel: [Int]] = [:]

    mutating func add(_ component: Component, labels: [String: String], namespace: String) {
        let prefix = component.kind == "StatefulSet" ? component.name + "-" : nil
        let position = byNamespace[namespace, default: []].count
        byNamespace[namespace, default: []].append(Pods(id: component.id, labels: labels, podNamePrefix: prefix))
        for (key, value) in labels {
            byLabel[NamespacedLabel(namespace: namespace, key: key, value: value), default: []].append(position)
        }
    }

    /// Ids of the components whose pods the selector selects. An empty selector selects every
    /// pod in the namespace (as a PodDisruptionBudget's does).
    func matching(_ selector: LabelSelector, in namespace: String) -> [String] {
        guard let pods = byNamespace[namespace] else { return [] }
        let usesControllerLabels = selector.matchLabels.keys.contains(where: Self.controllerLabels.contains)
            || selector.requirements.contains { Self.controllerLabels.contains($0.key) }
        let written = !usesControllerLabels ? selector : LabelSelector(
            matchLabels: selector.matchLabels.filter { !Self.controllerLabels.contains($0.key) },
            requirements: selector.requirements.filter { !Self.controllerLabels.contains($0.key) })
        let podName = selector.matchLabels[Self.podNameLabel]
        var candidates: [Int]
        if written.matchLabels.isEmpty {
            candidates = Array(pods.indices)
        } else {
            candidates = written.matchLabels.map { byLabel[NamespacedLabel(namespace: namespace, key: $0.key, value: $0.value)] ?? [] }
                .min { $0.count < $1.count } ?? []
        }
        return candidates.filter { index in
            let pod = pods[index]
            guard written.matches(pod.labels) else { return false }
            guard let podName else { return true }
            guard let prefix = pod.podNamePrefix, podName.hasPrefix(prefix) else { return false }
            return Int(podName.dropFirst(prefix.count)) != nil
        }.map { pods[$0].id }
    }

    /// What a selector that selects nothing in its namespace would select in the others.
    func matchingInOtherNamespaces(_ selector: LabelSelector, than namespace: String) -> [String] {
        guard !selector.isEmpty else { return [] }
        return byNamespace.keys.sorted().filter { $0 != namespace }.flatMap { matching(selector, in: $0) }
    }
}

import HAAuditModel
import HAAuditParallel

/// Correlates Kubernetes objects across every file of the run: Services and disruption budgets
/// to the pods they select, autoscalers to their targets, Ingresses to their Services.
///
/// Objects are indexed while the frontend adds them to the topology (one visit each, as the
/// components are scattered in memory and each visit costs a cache miss or two); `link` then
/// visits only those that name others.
///
/// Copies of one object written in several places are alternatives: a partner links only to
/// the nearest copies, within its explicit contexts (`Variants`).
struct KubernetesLinker: Sendable {
    private var pods = PodIndex()
    private var variants: Variants
    // By namespace and name; a list, because the same object may be written in several files.
    private var servicesByName: [NamedObject: [Component]] = [:]
    private var workloadsByName: [NamedObject: [Component]] = [:]
    /// The workloads patch fragments name, which are not audited: copies only.
    private var patchedByName: [NamedObject: [Component]] = [:]
    private var referring: [Component] = []
    /// StatefulSets, which name their governing Service and their StorageClasses.
    private var statefulSets: [Component] = []
    /// StorageClasses by name, and the default ones (under the name ""), within a variant.
    private var storageClassesByName: [NamedObject: [Component]] = [:]

    init(contexts: LinkContexts) {
        variants = Variants(contexts: contexts)
    }

    mutating func index(_ component: Component, namespace: String) {
        var selects = false
        if component.isService {
            servicesByName[NamedObject(namespace: namespace, kind: "Service", name: component.name), default: []].append(component)
            selects = component.service?.selector != nil
        }
        if let labels = component.podLabels {
            pods.add(component, labels: labels, namespace: namespace)
            workloadsByName[NamedObject(namespace: namespace, kind: component.kind, name: component.name), default: []].append(component)
        }
        if selects || component.namesOtherObjects {
            referring.append(component)
        }
        if component.statefulSet != nil { statefulSets.append(component) }
        if let storageClass = component.storageClass {
            let scope = Self.clusterScope(of: component)
            storageClassesByName[NamedObject(namespace: scope, kind: "StorageClass", name: storageClass.name), default: []].append(component)
            if storageClass.isDefault {
                storageClassesByName[NamedObject(namespace: scope, kind: "StorageClass", name: ""), default: []].append(component)
            }
        }
        variants.note(component)
    }

    /// Where a cluster-wide object (a StorageClass) links: its variant, whatever the namespace.
    private static func clusterScope(of component: Component) -> String {
        component.variant.map { "\u{0}" + $0 } ?? ""
    }

    mutating func indexPatched(_ object: Component, namespace: String) {
        patchedByName[NamedObject(namespace: namespace, kind: object.kind, name: object.name), default: []].append(object)
        variants.note(object)
    }

    func link(_ topology: inout Topology, jobs: Int) {
        // Many objects may share one selector (a thousand Services selecting `app: web`): each
        // distinct selector of a namespace is matched once, on `jobs` threads (matching is most
        // of the work and reads only the indexes), and what it selects is one group, shared.
        var selectorIndex: [SelectorInNamespace: Int] = [:]
        var selectors: [SelectorInNamespace] = []
        func note(_ selector: LabelSelector, _ namespace: String) {
            let key = SelectorInNamespace(namespace: namespace, selector: selector)
            if selectorIndex[key] == nil {
                selectorIndex[key] = selectors.count
                selectors.append(key)
            }
        }
        for component in referring {
            let namespace = component.linkScope
            if let selector = component.service?.selector, component.service?.selectorLocation != nil { note(selector, namespace) }
            if let budget = component.disruptionBudget { note(budget.selector, namespace) }
        }
        // Every copy of a workload, the selector's or not, patch fragments too: the nearest decides.
        let copiesOf: @Sendable (Component) -> [Component] = { [workloadsByName, patchedByName] workload in
            let key = NamedObject(namespace: workload.linkScope, kind: workload.kind, name: workload.name)
            return (workloadsByName[key] ?? []) + (patchedByName[key] ?? [])
        }
        let matches = parallelMap(selectors, jobs: jobs, chunk: 16) { [pods] key -> Selection in
            let selected = pods.matching(key.selector, in: key.namespace)
            let hasCopies = Variants.hasCopies(selected) || selected.contains { copiesOf($0).count > 1 }
            return Selection(selected: selected.isEmpty ? nil : SharedTargets(selected), hasCopies: hasCopies,
                             elsewhere: selected.isEmpty ? pods.matchingInOtherNamespaces(key.selector, than: key.namespace).map(\.id) : nil)
        }
        // What a partner sees of a group depends on its place only when the group holds copies
        // or contexts are named: then each place's view is one group of its own, shared by the
        // partners at that place (linking stays one visit per partner for the usual repository).
        var seen: [PlaceAndGroup: SharedTargets?] = [:]
        func view(of group: SharedTargets?, _ groupKey: AnyHashable, hasCopies: Bool, from place: LinkPlace,
                  copies: (Component) -> [Component] = { _ in [] }) -> SharedTargets? {
            guard let group, hasCopies || variants.hasContexts else { return group }
            let key = PlaceAndGroup(place: place, group: groupKey)
            if let known = seen[key] { return known }
            let visible = variants.visible(group.components, from: place, copies: copies)
            let result = visible.isEmpty ? nil : visible.count == group.components.count ? group : SharedTargets(visible)
            seen[key] = result
            return result
        }
        // Of what a selector matches, a partner takes the pods under its own folder when there are
        // any: examples and applications side by side in one repository share `app: web` labels
        // but never run in one cluster.
        var nearby: [PlaceAndGroup: SharedTargets] = [:]
        func underFolder(of group: SharedTargets?, _ groupKey: Int, from place: LinkPlace) -> SharedTargets? {
            guard let group else { return nil }
            let key = PlaceAndGroup(place: place, group: groupKey)
            if let known = nearby[key] { return known }
            let under = group.components.filter { place.holdsInFolder($0.location.path) }
            let result = under.isEmpty || under.count == group.components.count ? group : SharedTargets(under)
            nearby[key] = result
            return result
        }
        func selection(_ selector: LabelSelector, _ namespace: String, from place: LinkPlace) -> Selection {
            let index = selectorIndex[SelectorInNamespace(namespace: namespace, selector: selector)]!
            var found = matches[index]
            found.selected = underFolder(of: view(of: found.selected, index, hasCopies: found.hasCopies, from: place, copies: copiesOf),
                                         index, from: place)
            return found
        }
        // Objects named by several references (copies of one Service behind many Ingresses) are
        // one group too.
        var named: [NamedObject: SharedTargets] = [:]
        func objects(_ key: NamedObject, in index: [NamedObject: [Component]], from place: LinkPlace) -> SharedTargets? {
            if named[key] == nil, let found = index[key] { named[key] = SharedTargets(found) }
            return view(of: named[key], key, hasCopies: (named[key]?.components.count ?? 0) > 1, from: place)
        }
        for component in referring {
            let namespace = component.linkScope
            let place = variants.place(of: component)
            if let service = component.service, let selector = service.selector, let at = service.selectorLocation {
                let found = selection(selector, namespace, from: place)
                if let selected = found.selected {
                    topology.relate(.selects, from: component, to: selected, at: at)
                    for target in selected.components { Self.markServing(target) }
                }
                if let elsewhere = found.elsewhere { component.service?.matchesInOtherNamespaces = elsewhere }
                if found.selected == nil { component.service?.labelKeysOnNoPodTemplate = pods.keysOnNoPod(selector, in: namespace) }
            }
            if let budget = component.disruptionBudget {
                let found = selection(budget.selector, namespace, from: place)
                if let selected = found.selected { topology.relate(.protects, from: component, to: selected, at: budget.selectorLocation) }
                if let elsewhere = found.elsewhere { component.disruptionBudget?.matchesInOtherNamespaces = elsewhere }
            }
            for backend in component.ingress?.backends ?? [] {
                let key = NamedObject(namespace: namespace, kind: "Service", name: backend.serviceName)
                if let services = objects(key, in: servicesByName, from: place) { topology.relate(.routesTo, from: component, to: services, at: backend.location) }
            }
            if let autoscaler = component.autoscaler {
                let key = NamedObject(namespace: namespace, kind: autoscaler.targetKind, name: autoscaler.targetName)
                guard let targets = objects(key, in: workloadsByName, from: place) else { continue }
                topology.relate(.scales, from: component, to: targets, at: autoscaler.targetLocation)
                for target in targets.components {
                    // The autoscaler decides how few replicas run, whatever spec.replicas says.
                    target.instances?.minimum = autoscaler.minReplicas
                    target.instances?.maximum = autoscaler.maxReplicas
                }
            }
        }
        for statefulSet in statefulSets {
            let place = variants.place(of: statefulSet)
            guard var facet = statefulSet.statefulSet else { continue }
            if let serviceName = facet.serviceName?.value {
                let key = NamedObject(namespace: statefulSet.linkScope, kind: "Service", name: serviceName)
                let services = objects(key, in: servicesByName, from: place)?.components ?? []
                // Of several copies, one headless is enough: the others are alternatives.
                if let headless = services.first(where: { $0.service?.headless?.value == true }) {
                    facet.governingService = .headless(headless.location)
                } else if let service = services.first, let fact = service.service?.headless {
                    facet.governingService = .notHeadless(title: service.title, headless: fact)
                } else {
                    facet.governingService = .missing
                }
            }
            // A claim naming no class gets the cluster's default; "" asks for none.
            for index in facet.volumeClaims.indices {
                let name = facet.volumeClaims[index].storageClassName?.value ?? ""
                if facet.volumeClaims[index].storageClassName != nil && name.isEmpty { continue }
                let key = NamedObject(namespace: Self.clusterScope(of: statefulSet), kind: "StorageClass", name: name)
                facet.volumeClaims[index].storageClass = objects(key, in: storageClassesByName, from: place)?.components.first?.storageClass
            }
            statefulSet.statefulSet = facet
        }
    }

    /// A Service routes to the pods it selects: when none of their containers declares a port,
    /// which of them answers cannot be told, so each that does more than wait serves traffic.
    private static func markServing(_ workload: Component) {
        guard let shape = workload.workloadShape, shape == .service || shape == .standalone,
              !workload.containers.contains(where: \.servesTraffic) else { return }
        for index in workload.containers.indices where !workload.containers[index].isPlaceholder {
            workload.containers[index].servesTraffic = true
        }
    }

    /// What one selector selects in its namespace, or, when nothing, what it would select elsewhere.
    private struct Selection: Sendable {
        var selected: SharedTargets?
        /// Whether `selected` holds several copies of one object, or an object copied elsewhere.
        var hasCopies: Bool
        var elsewhere: [String]?
    }
}

/// A partner's place and the group it links to: the key of that place's view of the group.
private struct PlaceAndGroup: Hashable {
    var place: LinkPlace
    var group: AnyHashable
}

/// A selector as written in one namespace: the key of a selector group.
private struct SelectorInNamespace: Hashable, Sendable {
    var namespace: String
    var selector: LabelSelector
}

/// An object's identity within a run, as references name it.
private struct NamedObject: Hashable, Sendable {
    var namespace: String
    var kind: String
    var name: String
}

/// A label of a pod, in a namespace: the key of the label index.
private struct NamespacedLabel: Hashable, Sendable {
    var namespace: String
    var key: String
    var value: String
}

/// Pod-creating components by namespace, with a posting list per label, so that matching a
/// selector costs the size of its rarest label rather than the size of the namespace.
struct PodIndex: Sendable {
    private struct Pods {
        var component: Component
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
    private var keysByNamespace: [String: Set<String>] = [:]

    mutating func add(_ component: Component, labels: [String: String], namespace: String) {
        let prefix = component.kind == "StatefulSet" ? component.name + "-" : nil
        let position = byNamespace[namespace, default: []].count
        byNamespace[namespace, default: []].append(Pods(component: component, labels: labels, podNamePrefix: prefix))
        for (key, value) in labels {
            byLabel[NamespacedLabel(namespace: namespace, key: key, value: value), default: []].append(position)
        }
        keysByNamespace[namespace, default: []].formUnion(labels.keys)
    }

    /// The components whose pods the selector selects. An empty selector selects every pod in
    /// the namespace (as a PodDisruptionBudget's does).
    func matching(_ selector: LabelSelector, in namespace: String) -> [Component] {
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
        }.map { pods[$0].component }
    }

    /// The keys of a selector's labels that no pod template of a namespace with pod templates
    /// carries (controllers' own labels aside): a label added at run time rather than a typo.
    func keysOnNoPod(_ selector: LabelSelector, in namespace: String) -> [String] {
        guard let keys = keysByNamespace[namespace] else { return [] }
        return selector.matchLabels.keys.filter { !keys.contains($0) && !Self.controllerLabels.contains($0) }.sorted()
    }

    /// What a selector that selects nothing in its namespace would select in the others.
    func matchingInOtherNamespaces(_ selector: LabelSelector, than namespace: String) -> [Component] {
        guard !selector.isEmpty else { return [] }
        // Only the namespaces of the same variant (a rendered root's, or the plain files').
        let variant = { (scope: String) in scope.firstIndex(of: "\u{0}").map { scope[$0...] } ?? "" }
        return byNamespace.keys.sorted().filter { $0 != namespace && variant($0) == variant(namespace) }.flatMap { matching(selector, in: $0) }
    }
}

extension Component {
    /// What objects link within: the namespace, and the variant when rendered, so that an
    /// overlay's objects never link to another overlay's.
    var linkScope: String {
        let namespace = namespace ?? "default"
        return variant.map { namespace + "\u{0}" + $0 } ?? namespace
    }
}

import HAAuditModel
import HAAuditReaders

/// Lowers Kubernetes objects (YAML or JSON, single, multi-document or `List`) into the topology.
struct KubernetesFrontend: Frontend {
    private var assembly = KubernetesAssembly()
    private let jobs: Int

    init(settings: FrontendSettings) {
        jobs = settings.jobs
    }

    mutating func add(_ lowered: LoweredDocument, to topology: inout Topology) {
        assembly.add(lowered, to: &topology)
    }

    mutating func link(_ topology: inout Topology, diagnostics: inout [Diagnostic]) {
        assembly.link(&topology, jobs: jobs)
    }

    /// Whether haaudit models objects of `kind` in API group `group`: a `Service` of
    /// `serving.knative.dev` is not a core Service and is left alone. (A switch: every object
    /// asks, and comparing short strings costs less than hashing them.)
    private static func isModelled(kind: String, group: String) -> Bool {
        switch kind {
        case "Deployment", "DaemonSet", "ReplicaSet": group == "apps" || group == "extensions"
        case "StatefulSet": group == "apps"
        case "ReplicationController", "Pod", "Service": group == ""
        case "Job", "CronJob": group == "batch"
        case "Ingress": group == "networking.k8s.io" || group == "extensions"
        case "PodDisruptionBudget": group == "policy"
        case "HorizontalPodAutoscaler": group == "autoscaling"
        case "ScaledObject": group == "keda.sh"
        case "Rollout": group == "argoproj.io"
        default: false
        }
    }

    static func lower(_ document: SourceDocument, into lowered: inout LoweredDocument) -> Bool {
        guard document.root["apiVersion"]?.string != nil, document.root["kind"]?.string != nil else { return false }
        collect(document, into: &lowered)
        return true
    }

    /// Lowers one object, or each item of a `List`.
    private static func collect(_ document: SourceDocument, into lowered: inout LoweredDocument) {
        guard let apiVersion = document.root["apiVersion"]?.string,
              let kind = document.root["kind"]?.string else { return }
        if kind == "List" || (kind.hasSuffix("List") && document.root["items"]?.isSequence == true) {
            for item in document.root["items"]?.items ?? [] {
                collect(SourceDocument(path: document.path, identityPath: document.identityPath, root: item), into: &lowered)
            }
            return
        }
        // The API server reads an empty namespace as an absent one.
        let namespace = document.root[path: "metadata", "namespace"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let object = KubernetesObject(
            document: document, node: document.root, apiVersion: apiVersion, kind: kind,
            name: document.root[path: "metadata", "name"]?.string ?? document.root[path: "metadata", "generateName"]?.string ?? "(unnamed)",
            namespace: namespace ?? "default", namespaceIsImplicit: namespace == nil)
        if isModelled(kind: kind, group: object.group) {
            lowered.components.append(lower(object))
        } else if isCustomGroup(object.group) {
            lowered.opaqueObjects.append((object.namespace, OpaqueObject(kind: kind, name: object.name, location: object.location)))
        }
    }

    /// Custom resources live in groups of their own; Kubernetes' built-in groups are the core
    /// group, the dotless ones (apps, batch, ...) and `*.k8s.io`, except the SIGs' CRD groups
    /// `*.x-k8s.io` (LeaderWorkerSet, JobSet, Cluster API), whose controllers do create pods.
    static func isCustomGroup(_ group: String) -> Bool {
        guard group.contains(".") else { return false }
        return !group.hasSuffix(".k8s.io") || group.hasSuffix(".x-k8s.io")
    }

    /// The workload kinds an autoscaler can target, as this frontend models them.
    static let scalableKinds: Set<String> = ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout"]

    private static func lower(_ object: KubernetesObject) -> Component {
        // Where the pods are described: the workload's facts and its suppressions both come from it.
        let podTemplate: Node? = switch object.kind {
        case "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "DaemonSet", "Job":
            object.node[path: "spec", "template"]
        case "CronJob": object.node[path: "spec", "jobTemplate", "spec", "template"]
        case "Pod": object.node
        default: nil
        }
        var component: Component
        switch object.kind {
        case "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout":
            component = workload(object, shape: .service, podTemplate: podTemplate)
        case "DaemonSet":
            component = workload(object, shape: .perNode, podTemplate: podTemplate)
        case "Job", "CronJob":
            component = workload(object, shape: .batch, podTemplate: podTemplate)
        case "Pod":
            component = workload(object, shape: isTask(object) ? .batch : .standalone, podTemplate: podTemplate)
        case "Service":
            component = service(object)
        case "Ingress":
            component = ingress(object)
        case "HorizontalPodAutoscaler", "ScaledObject":
            component = autoscaler(object)
        default:
            component = disruptionBudget(object)
        }
        component.suppressions = suppressions(object, podTemplate: podTemplate)
        return component
    }

    private static func component(_ object: KubernetesObject, role: Component.Role) -> Component {
        let component = Component(id: object.id, name: object.name, kind: object.kind, platform: .kubernetes,
                                  namespace: object.namespace, role: role, location: object.location)
        component.namespaceIsImplicit = object.namespaceIsImplicit
        return component
    }

    private static func workload(_ object: KubernetesObject, shape: Component.WorkloadShape, podTemplate: Node?) -> Component {
        let component = component(object, role: .workload(shape))
        let spec = object.node["spec"]
        let podSpec = podTemplate?["spec"]
        component.podLabels = KubernetesObject.stringMap(podTemplate?[path: "metadata", "labels"])
        switch shape {
        case .service:
            let replicas = object.intFact(spec, "replicas", default: 1, source: "spec.replicas", absentAt: object.location)!
            component.instances = Instances(minimum: replicas, desired: replicas, maximum: nil)
            component.recovery = .known(.controller(object.kind), at: object.location, source: "controller")
            component.rollout = rollout(object)
            component.supportsDisruptionBudget = object.kind == "Deployment" || object.kind == "StatefulSet"
        case .standalone:
            let one = Fact<Int>.known(1, at: object.location, source: "a bare Pod")
            component.instances = Instances(minimum: one, desired: one, maximum: nil)
            component.recovery = podOwner(object).map { .known(.controller($0), at: object.location, source: "owner") }
                ?? .known(.none, at: object.location, source: "a bare Pod")
        case .perNode, .batch:
            break
        }
        component.containers = (podSpec?["containers"]?.items ?? []).map {
            KubernetesPodSpec.container($0, of: object, servesTraffic: shape == .service || shape == .standalone)
        }
        component.placement = KubernetesPodSpec.placement(podSpec, of: object, anchor: podTemplate.map(object.location) ?? object.location)
        return component
    }

    private static func service(_ object: KubernetesObject) -> Component {
        let component = component(object, role: .traffic)
        let spec = object.node["spec"]
        let selectorEntry = spec?.entry("selector")
        let selector = selectorEntry.map { LabelSelector(matchLabels: KubernetesObject.stringMap($0.value)) }
        let ports = (spec?["ports"]?.items ?? []).map { port in
            let number = port["port"]?.int
            // An absent targetPort means the same number as `port`.
            let target = object.portReference(port["targetPort"])
                ?? number.map { PortReference(value: .number($0), location: object.location(port)) }
            return ServiceFacet.Port(name: port["name"]?.string, port: number, targetPort: target, location: object.location(port))
        }
        component.service = ServiceFacet(
            selector: selector.flatMap { $0.isEmpty ? nil : $0 },
            selectorLocation: selectorEntry.map { object.location($0.key) },
            ports: ports, type: spec?["type"]?.string ?? "ClusterIP")
        return component
    }

    private static func ingress(_ object: KubernetesObject) -> Component {
        let component = component(object, role: .traffic)
        let spec = object.node["spec"]
        var backends: [IngressFacet.Backend] = []
        func addBackend(_ node: Node?) {
            guard let node else { return }
            if let service = node["service"], let name = service["name"]?.string {
                let port = service["port"]
                backends.append(.init(serviceName: name, port: object.portReference(port?["number"] ?? port?["name"]),
                                      location: object.location(node)))
            } else if let name = node["serviceName"]?.string {
                backends.append(.init(serviceName: name, port: object.portReference(node["servicePort"]), location: object.location(node)))
            }
        }
        addBackend(spec?["defaultBackend"] ?? spec?["backend"])
        for rule in spec?["rules"]?.items ?? [] {
            for path in rule[path: "http", "paths"]?.items ?? [] { addBackend(path["backend"]) }
        }
        component.ingress = IngressFacet(backends: backends)
        return component
    }

    /// The update strategy of a Deployment (`spec.strategy`, default RollingUpdate with
    /// maxUnavailable 25%) or a StatefulSet (`spec.updateStrategy`, default RollingUpdate with
    /// maxUnavailable 1; OnDelete is manual).
    private static func rollout(_ object: KubernetesObject) -> Rollout? {
        // The sources are written out, not interpolated: every workload would make them anew.
        let key: String, source: String, maxUnavailableSource: String
        let defaultMaxUnavailable: IntOrPercent
        switch object.kind {
        case "Deployment":
            (key, source, maxUnavailableSource) = ("strategy", "spec.strategy.type", "spec.strategy.rollingUpdate.maxUnavailable")
            defaultMaxUnavailable = .percent(25)
        case "StatefulSet":
            (key, source, maxUnavailableSource) = ("updateStrategy", "spec.updateStrategy.type", "spec.updateStrategy.rollingUpdate.maxUnavailable")
            defaultMaxUnavailable = .count(1)
        default: return nil
        }
        let strategyNode = object.node[path: "spec", key]
        let strategy: Fact<Rollout.Strategy>
        if let type = strategyNode?.entry("type"), let text = type.value.string {
            let at = object.location(type.key)
            switch text {
            case "Recreate": strategy = .known(.recreate, at: at, source: source)
            case "OnDelete": strategy = .known(.manual, at: at, source: source)
            case "RollingUpdate": strategy = .known(.rolling, at: at, source: source)
            default: strategy = .unknown(at: at, source: source, reason: "'\(text)' is not a strategy Kubernetes knows")
            }
        } else {
            strategy = .defaulted(.rolling, at: strategyNode.map(object.location) ?? object.location, source: source)
        }
        var rollout = Rollout(strategy: strategy)
        if strategy.value == .rolling {
            let rolling = strategyNode?["rollingUpdate"]
            rollout.maxUnavailable = object.intOrPercentFact(rolling, "maxUnavailable", source: maxUnavailableSource)
                ?? .defaulted(defaultMaxUnavailable, at: strategyNode.map(object.location) ?? object.location, source: maxUnavailableSource)
        }
        return rollout
    }

    /// What manages a Pod written out of a live cluster: its controller owner, or the kubelet for
    /// a static Pod's mirror.
    private static func podOwner(_ object: KubernetesObject) -> String? {
        let metadata = object.node["metadata"]
        if let owner = metadata?["ownerReferences"]?.items.first(where: { $0["controller"]?.bool == true }) ?? metadata?["ownerReferences"]?.items.first {
            return owner["kind"]?.string ?? "owner"
        }
        if metadata?["annotations"]?["kubernetes.io/config.mirror"] != nil { return "kubelet (static Pod)" }
        return nil
    }

    /// A bare Pod that runs to completion (a Helm hook, `restartPolicy: Never` or `OnFailure`) is
    /// a task, not a service that something should keep alive.
    private static func isTask(_ object: KubernetesObject) -> Bool {
        if object.node[path: "metadata", "annotations"]?["helm.sh/hook"] != nil { return true }
        let restartPolicy = object.node[path: "spec", "restartPolicy"]?.string
        return restartPolicy == "Never" || restartPolicy == "OnFailure"
    }

    /// An HPA, or a KEDA ScaledObject (which may scale to zero: its minReplicaCount defaults to 0).
    private static func autoscaler(_ object: KubernetesObject) -> Component {
        let component = component(object, role: .control)
        let spec = object.node["spec"]
        let target = spec?["scaleTargetRef"]
        let isKEDA = object.kind == "ScaledObject"
        let (minimumKey, maximumKey) = isKEDA ? ("minReplicaCount", "maxReplicaCount") : ("minReplicas", "maxReplicas")
        let targetKind = target?["kind"]?.string ?? (isKEDA ? "Deployment" : "")
        component.autoscaler = AutoscalerFacet(
            targetKind: targetKind,
            targetName: target?["name"]?.string ?? "",
            targetLocation: target.map(object.location) ?? object.location,
            targetKindIsModelled: scalableKinds.contains(targetKind),
            minReplicas: object.intFact(spec, minimumKey, default: isKEDA ? 0 : 1, source: "\(object.kind) \(object.name) spec.\(minimumKey)",
                                        absentAt: object.location)!,
            maxReplicas: object.intFact(spec, maximumKey, default: isKEDA ? 100 : nil, source: "spec.\(maximumKey)", absentAt: object.location))
        return component
    }

    private static func disruptionBudget(_ object: KubernetesObject) -> Component {
        let component = component(object, role: .control)
        let spec = object.node["spec"]
        let selectorEntry = spec?.entry("selector")
        component.disruptionBudget = DisruptionBudgetFacet(
            selector: KubernetesObject.labelSelector(selectorEntry?.value),
            selectorLocation: selectorEntry.map { object.location($0.key) } ?? object.location,
            minAvailable: object.intOrPercentFact(spec, "minAvailable", source: "spec.minAvailable"),
            maxUnavailable: object.intOrPercentFact(spec, "maxUnavailable", source: "spec.maxUnavailable"))
        return component
    }

    /// `ignore.haaudit.dev/<rule>: "<reason>"` annotations on the object or its pod template.
    private static func suppressions(_ object: KubernetesObject, podTemplate: Node?) -> [String: Suppression] {
        var result: [String: Suppression] = [:]
        for annotations in [podTemplate?[path: "metadata", "annotations"], object.node[path: "metadata", "annotations"]] {
            for entry in annotations?.entries ?? [] {
                guard let key = entry.key.scalar, key.hasPrefix(Suppression.annotationPrefix) else { continue }
                let rule = String(key.dropFirst(Suppression.annotationPrefix.count))
                let reason = entry.value.string.flatMap { $0.isEmpty ? nil : $0 }
                result[rule] = Suppression(reason: reason, location: object.location(entry.key))
            }
        }
        return result
    }
}

extension Suppression {
    static let annotationPrefix = "ignore.haaudit.dev/"
}

/// Adds lowered Kubernetes documents to the topology as they come, in file order, indexing
/// each object for linking as it is added (one visit each: the components are scattered in
/// memory, and each visit costs a cache miss or two); `link` then correlates them all. Adding
/// may start while later files are still being read.
struct KubernetesAssembly: Sendable {
    private var linker = KubernetesLinker()
    /// By the id of an object written more than once in one file: the number its next copy
    /// tries first, so that the thousandth copy does not try the 999 numbers taken before it.
    private var nextCopy: [String: Int] = [:]

    mutating func add(_ document: LoweredDocument, to topology: inout Topology) {
        for component in document.components {
            if !topology.add(component) {
                // The same object written twice (variants of one app, say): audit both copies,
                // told apart by file (not line, so that ids survive edits).
                let base = component.id + "@\(component.location.path)"
                component.id = base
                var copy = nextCopy[base] ?? 2
                while !topology.add(component) {
                    component.id = "\(base)#\(copy)"
                    copy += 1
                }
                nextCopy[base] = copy
            }
            let namespace = component.namespace ?? "default"
            if component.podLabels != nil { topology.namespaces[namespace, default: NamespaceContents()].workloads += 1 }
            if component.isService { topology.namespaces[namespace, default: NamespaceContents()].services += 1 }
            linker.index(component, namespace: namespace)
        }
        for (namespace, object) in document.opaqueObjects {
            topology.namespaces[namespace, default: NamespaceContents()].opaqueObjects.append(object)
        }
    }

    /// Correlates everything added (on up to `jobs` threads).
    func link(_ topology: inout Topology, jobs: Int) {
        linker.link(&topology, jobs: jobs)
    }
}

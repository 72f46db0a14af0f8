import HAAuditModel
import HAAuditReaders

/// Lowers Kubernetes objects (YAML or JSON, single, multi-document or `List`) into the topology.
struct KubernetesFrontend: Frontend {
    private var assembly: KubernetesAssembly
    private let jobs: Int

    init(settings: FrontendSettings) {
        assembly = KubernetesAssembly(contexts: settings.contexts)
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
        case "DeploymentConfig": group == "apps.openshift.io"
        case "StorageClass": group == "storage.k8s.io"
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
                var itemDocument = document
                itemDocument.root = item
                collect(itemDocument, into: &lowered)
            }
            return
        }
        // The API server reads an empty namespace as an absent one.
        let namespace = document.root[path: "metadata", "namespace"]?.string.flatMap { $0.isEmpty ? nil : $0 }
        let object = KubernetesObject(
            document: document, node: document.root, apiVersion: apiVersion, kind: kind,
            name: document.root[path: "metadata", "name"]?.string ?? document.root[path: "metadata", "generateName"]?.string ?? "(unnamed)",
            namespace: namespace ?? document.defaultNamespace ?? "default",
            namespaceIsImplicit: namespace == nil && document.defaultNamespace == nil)
        if isModelled(kind: kind, group: object.group) {
            if isPatchFragment(object) {
                lowered.skipped[.patchFragments] += 1
                lowered.patchedObjects.append(component(object, role: .workload(.service)))
                return
            }
            lowered.components.append(lower(object))
        } else if isCustomGroup(object.group) {
            lowered.opaqueObjects.append((object.namespace, OpaqueObject(kind: kind, name: object.name, location: object.location,
                                                                         podLabels: podLabels(inSpecOf: object.node["spec"]))))
        }
    }

    /// The pod labels an operator's custom resource declares: `podMetadata.labels`
    /// (prometheus-operator) and the `metadata.labels` of any `template` or `...Template` in its
    /// spec (LeaderWorkerSet's `leaderWorkerTemplate.leaderTemplate`), a few mappings deep.
    private static func podLabels(inSpecOf node: Node?, depth: Int = 0) -> [[String: String]] {
        guard depth < 5 else { return [] }
        var found: [[String: String]] = []
        for entry in node?.entries ?? [] {
            guard let key = entry.key.scalar, entry.value.isMapping else { continue }
            let labels = key == "podMetadata" ? entry.value["labels"]
                : key == "template" || key.hasSuffix("Template") ? entry.value[path: "metadata", "labels"] : nil
            if let labels, labels.isMapping { found.append(KubernetesObject.stringMap(labels)) }
            found += podLabels(inSpecOf: entry.value, depth: depth + 1)
        }
        return found
    }

    /// Custom resources live in groups of their own; Kubernetes' built-in groups are the core
    /// group, the dotless ones (apps, batch, ...) and `*.k8s.io`, except the SIGs' CRD groups
    /// `*.x-k8s.io` (LeaderWorkerSet, JobSet, Cluster API), whose controllers do create pods.
    static func isCustomGroup(_ group: String) -> Bool {
        guard group.contains(".") else { return false }
        return !group.hasSuffix(".k8s.io") || group.hasSuffix(".x-k8s.io")
    }

    /// A workload without a selector and with no pod labels, or with a container that names no
    /// image: the API would refuse it, so it is a strategic-merge patch (an overlay's, listed by a
    /// kustomization not in the input), which names only the fields it changes. Auditing it would
    /// report everything it leaves out.
    private static func isPatchFragment(_ object: KubernetesObject) -> Bool {
        switch object.kind {
        case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet":
            guard object.node[path: "spec", "selector"] == nil else { return false }
            let template = object.node[path: "spec", "template"]
            let containers = template?[path: "spec", "containers"]?.items ?? []
            return template?[path: "metadata", "labels"] == nil || containers.contains { $0["image"] == nil }
        default: return false
        }
    }

    /// The workload kinds an autoscaler can target, as this frontend models them.
    static let scalableKinds: Set<String> = ["Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "DeploymentConfig"]

    private static func lower(_ object: KubernetesObject) -> Component {
        // Where the pods are described: the workload's facts and its suppressions both come from it.
        let podTemplate: Node? = switch object.kind {
        case "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "DeploymentConfig", "DaemonSet", "Job":
            object.node[path: "spec", "template"]
        case "CronJob": object.node[path: "spec", "jobTemplate", "spec", "template"]
        case "Pod": object.node
        default: nil
        }
        var component: Component
        switch object.kind {
        // An OpenShift DeploymentConfig keeps replicas of one pod template, as a Deployment does.
        case "Deployment", "StatefulSet", "ReplicaSet", "ReplicationController", "Rollout", "DeploymentConfig":
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
        case "StorageClass":
            component = storageClass(object)
        default:
            component = disruptionBudget(object)
        }
        component.suppressions = suppressions(object, podTemplate: podTemplate)
        return component
    }

    static func component(_ object: KubernetesObject, role: Component.Role) -> Component {
        let component = Component(id: object.id, name: object.name, kind: object.kind, platform: .kubernetes,
                                  namespace: object.namespace, role: role, location: object.location)
        component.namespaceIsImplicit = object.namespaceIsImplicit
        component.variant = object.document.variant
        component.release = object.document.release
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

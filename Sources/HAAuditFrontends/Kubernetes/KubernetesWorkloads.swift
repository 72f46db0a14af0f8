import HAAuditModel
import HAAuditReaders

/// Lowering workloads: replicas, recovery, rollout strategy, containers and placement.
extension KubernetesFrontend {
    static func workload(_ object: KubernetesObject, shape: Component.WorkloadShape, podTemplate: Node?) -> Component {
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
            if object.kind == "StatefulSet" { component.statefulSet = statefulSet(object) }
            component.holdsState = object.kind == "StatefulSet"
                || (podSpec?["containers"]?.items ?? []).contains { runsDataStore($0["image"]?.string) }
        case .standalone:
            let one = Fact<Int>.known(1, at: object.location, source: "a bare Pod")
            component.instances = Instances(minimum: one, desired: one, maximum: nil)
            component.recovery = podOwner(object).map { .known(.controller($0), at: object.location, source: "owner") }
                ?? .known(.none, at: object.location, source: "a bare Pod")
        case .perNode:
            component.rollout = rollout(object)
        case .batch:
            break
        }
        // Every container of the pod is given the pod's grace period, which bounds its preStop hook.
        let gracePeriod = object.intFact(podSpec, "terminationGracePeriodSeconds", default: 30, source: "terminationGracePeriodSeconds",
                                         absentAt: podSpec.map(object.location) ?? object.location)
        component.containers = (podSpec?["containers"]?.items ?? []).map {
            var container = KubernetesPodSpec.container($0, of: object, mayServeTraffic: shape == .service || shape == .standalone)
            container.terminationGracePeriod = gracePeriod
            return container
        }
        component.placement = KubernetesPodSpec.placement(podSpec, of: object, anchor: podTemplate.map(object.location) ?? object.location)
        return component
    }

    /// A StatefulSet's governing Service and volume claim templates, as written; linking finds
    /// the Service and the StorageClasses.
    private static func statefulSet(_ object: KubernetesObject) -> StatefulSetFacet {
        let spec = object.node["spec"]
        let serviceName: Fact<String>? = spec?.entry("serviceName").flatMap { entry in
            guard let name = entry.value.string, !name.isEmpty else { return nil }
            return .known(name, at: object.location(entry.key), source: "spec.serviceName")
        }
        let claims = (spec?["volumeClaimTemplates"]?.items ?? []).map { claim in
            // The legacy annotation still wins over the field, as the API server reads them.
            let annotation = claim[path: "metadata", "annotations"]?.entry("volume.beta.kubernetes.io/storage-class")
            let field = claim["spec"]?.entry("storageClassName")
            let written = annotation ?? field
            let className: Fact<String>? = written.flatMap { entry in
                guard let name = entry.value.string else { return nil }
                return .known(name, at: object.location(entry.key),
                              source: annotation != nil ? "volume.beta.kubernetes.io/storage-class" : "spec.storageClassName")
            }
            return StatefulSetFacet.VolumeClaim(name: claim[path: "metadata", "name"]?.string ?? "(unnamed)",
                                                storageClassName: className, location: object.location(claim))
        }
        return StatefulSetFacet(serviceName: serviceName, volumeClaims: claims)
    }

    /// The update strategy of a Deployment (`spec.strategy`, default RollingUpdate with
    /// maxUnavailable 25%) or a StatefulSet (`spec.updateStrategy`, default RollingUpdate with
    /// maxUnavailable 1; OnDelete is manual) or a DaemonSet (the same, per node).
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
        case "DaemonSet":
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
        if object.kind == "Deployment" {
            rollout.revisionHistoryLimit = object.intFact(object.node["spec"], "revisionHistoryLimit", default: 10,
                                                          source: "spec.revisionHistoryLimit", absentAt: object.location)
        }
        if strategy.value == .rolling {
            let rolling = strategyNode?["rollingUpdate"]
            rollout.maxUnavailable = object.intOrPercentFact(rolling, "maxUnavailable", source: maxUnavailableSource)
                ?? .defaulted(defaultMaxUnavailable, at: strategyNode.map(object.location) ?? object.location, source: maxUnavailableSource)
            // A Deployment surges 25% by default, a DaemonSet not at all; a StatefulSet cannot.
            if object.kind != "StatefulSet" {
                let surgeSource = object.kind == "Deployment" ? "spec.strategy.rollingUpdate.maxSurge" : "spec.updateStrategy.rollingUpdate.maxSurge"
                rollout.maxSurge = object.intOrPercentFact(rolling, "maxSurge", source: surgeSource)
                    ?? .defaulted(object.kind == "Deployment" ? .percent(25) : .count(0),
                                  at: strategyNode.map(object.location) ?? object.location, source: surgeSource)
            }
        }
        return rollout
    }

    /// What manages a Pod written out of a live cluster: its controller owner, or the kubelet for
    /// a static Pod (its mirror's annotations, or a control-plane Pod bound to its node).
    private static func podOwner(_ object: KubernetesObject) -> String? {
        let metadata = object.node["metadata"]
        if let owner = metadata?["ownerReferences"]?.items.first(where: { $0["controller"]?.bool == true }) ?? metadata?["ownerReferences"]?.items.first {
            return owner["kind"]?.string ?? "owner"
        }
        let annotations = metadata?["annotations"]
        if annotations?["kubernetes.io/config.mirror"] != nil || annotations?["kubernetes.io/config.source"] != nil || isControlPlaneStaticPod(object) {
            return "kubelet (static Pod)"
        }
        return nil
    }

    private static let controlPlaneComponents: Set<String> = ["kube-apiserver", "etcd", "kube-scheduler", "kube-controller-manager"]

    /// A kubeadm-style control-plane Pod (`/etc/kubernetes/manifests`): in kube-system, bound to
    /// its node, on the host network, labelled as the control plane. The kubelet runs it from
    /// its manifest folder and restarts it; its redundancy is the number of control-plane nodes.
    private static func isControlPlaneStaticPod(_ object: KubernetesObject) -> Bool {
        guard object.namespace == "kube-system", object.node[path: "spec", "nodeName"]?.string != nil,
              object.node[path: "spec", "hostNetwork"]?.bool == true else { return false }
        let labels = object.node[path: "metadata", "labels"]
        return labels?["tier"]?.string == "control-plane" || labels?["component"]?.string.map(controlPlaneComponents.contains) == true
    }

    /// A bare Pod that runs to completion (a Helm hook, `restartPolicy: Never` or `OnFailure`) is
    /// a task, not a service that something should keep alive.
    static func isTask(_ object: KubernetesObject) -> Bool {
        if object.node[path: "metadata", "annotations"]?["helm.sh/hook"] != nil { return true }
        let restartPolicy = object.node[path: "spec", "restartPolicy"]?.string
        return restartPolicy == "Never" || restartPolicy == "OnFailure"
    }

    /// Data stores whose replicas each hold a copy of the data, as an image's name begins a word with them.
    private static let dataStorePrefixes = [
        "redis", "valkey", "keydb", "memcached", "postgres", "mysql", "mariadb", "mongo",
        "etcd", "zookeeper", "kafka", "cassandra", "elasticsearch", "opensearch", "rabbitmq", "minio", "consul",
        "influxdb", "clickhouse", "couchdb", "couchbase", "neo4j",
    ]

    /// Words of an image's name that say it only sits beside a data store.
    private static let dataStoreHelpers: Set<String> = ["exporter", "operator", "proxy", "commander", "ui", "admin", "client", "backup", "express"]

    /// Whether an image runs a data store: a word of its name begins with one's (`gb-redisslave`,
    /// `bitnami/postgresql`), and none says it only sits beside one (`redis_exporter`, `mongo-express`).
    private static func runsDataStore(_ image: String?) -> Bool {
        guard let name = image?.split(separator: "/").last?.split(separator: ":").first?.split(separator: "@").first else { return false }
        let words = name.lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == "." }).map(String.init)
        return words.contains { word in dataStorePrefixes.contains { word.hasPrefix($0) } } && !words.contains(where: dataStoreHelpers.contains)
    }
}

import HAAuditModel
import HAAuditReaders

/// Lowering what routes traffic to workloads (Services, Ingresses) and what controls them
/// (autoscalers, disruption budgets).
extension KubernetesFrontend {
    static func service(_ object: KubernetesObject) -> Component {
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
        // Without `clusterIP: None` the API server allocates a virtual IP: not headless.
        if let clusterIP = spec?.entry("clusterIP"), let text = clusterIP.value.scalar {
            component.service?.headless = .known(text == "None", at: object.location(clusterIP.key), source: "spec.clusterIP")
        } else {
            component.service?.headless = .defaulted(false, at: object.location, source: "spec.clusterIP")
        }
        return component
    }

    static func ingress(_ object: KubernetesObject) -> Component {
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

    /// An HPA, or a KEDA ScaledObject (which may scale to zero: its minReplicaCount defaults to 0).
    static func autoscaler(_ object: KubernetesObject) -> Component {
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

    /// A StorageClass (cluster-wide): which provisioner makes its volumes, and when it binds them.
    static func storageClass(_ object: KubernetesObject) -> Component {
        let component = Component(id: object.id, name: object.name, kind: object.kind, platform: .kubernetes,
                                  namespace: nil, role: .control, location: object.location)
        component.variant = object.document.variant
        component.release = object.document.release
        let node = object.node
        let mode: Fact<String>
        if let entry = node.entry("volumeBindingMode"), let text = entry.value.scalar {
            mode = .known(text, at: object.location(entry.key), source: "volumeBindingMode")
        } else {
            mode = .defaulted("Immediate", at: object.location, source: "volumeBindingMode")
        }
        // `allowedTopologies: [{matchLabelExpressions: [{key: topology.kubernetes.io/zone, values: [...]}]}]`
        let zoneKeys: Set<String> = ["topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone", "topology.ebs.csi.aws.com/zone",
                                     "topology.gke.io/zone", "topology.disk.csi.azure.com/zone"]
        let zones = (node["allowedTopologies"]?.items ?? []).flatMap { term in
            (term["matchLabelExpressions"]?.items ?? []).filter { $0["key"]?.string.map(zoneKeys.contains) == true }
                .flatMap { $0["values"]?.items.compactMap(\.scalar) ?? [] }
        }
        let annotations = node[path: "metadata", "annotations"]
        let isDefault = (annotations?["storageclass.kubernetes.io/is-default-class"] ?? annotations?["storageclass.beta.kubernetes.io/is-default-class"])?.scalar == "true"
        let parameters = node["parameters"]
        component.storageClass = StorageClass(
            name: object.name, provisioner: node["provisioner"]?.scalar ?? "",
            volumeBindingMode: mode, allowedZones: zones.isEmpty ? nil : zones, isDefault: isDefault,
            replication: (parameters?["replication-type"] ?? parameters?["skuName"] ?? parameters?["skuname"])?.scalar,
            location: object.location)
        return component
    }

    static func disruptionBudget(_ object: KubernetesObject) -> Component {
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
}

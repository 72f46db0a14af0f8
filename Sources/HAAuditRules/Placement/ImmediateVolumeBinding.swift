import HAAuditModel

/// A StatefulSet whose volumes live in one zone each and are placed before its pods are.
public struct ImmediateVolumeBinding: Rule {
    public init() {}

    public let description = RuleDescription(
        name: "immediate-volume-binding",
        code: "HA207",
        category: .placement,
        severity: .medium,
        summary: "A StatefulSet's zonal volumes are bound before its pods are scheduled, or a single replica's data lives in one zone.",
        rationale: """
            A block volume (EBS, a GCE persistent disk, an Azure Disk) lives in one zone, and a pod can \
            use it only on a node of that zone. With `volumeBindingMode: Immediate`, the default when the \
            StorageClass does not say, each claim is provisioned as soon as it is made, in a zone chosen \
            without the scheduler: the pods then have to follow their volumes, whatever their topology \
            spread, anti-affinity or node selectors ask, so replicas can end up in one zone, or in a zone \
            with no room for them, and stay Pending. After a zone loss, a pod whose volume is in the lost \
            zone cannot start anywhere else. A StatefulSet of one replica on such a volume has its data, \
            and so its only pod, pinned to one zone: losing the zone takes it down until the zone returns.
            """,
        remediation: """
            Give the StorageClass `volumeBindingMode: WaitForFirstConsumer`, so that each volume is made in \
            the zone the scheduler picks for its pod (the field cannot be changed on an existing class: \
            create a new class and move the claims to it). A single replica needs a second replica that \
            replicates its data, or a replicated disk (a regional GCE PD, an Azure `*_ZRS` SKU):
            ```yaml
            apiVersion: storage.k8s.io/v1
            kind: StorageClass
            metadata: {name: gp3-wait}
            provisioner: ebs.csi.aws.com
            volumeBindingMode: WaitForFirstConsumer
            parameters: {type: gp3}
            ```
            """,
        notes: [
            "Zonal provisioners: `kubernetes.io/aws-ebs`, `ebs.csi.aws.com`, `kubernetes.io/gce-pd`, `pd.csi.storage.gke.io` (unless `replication-type: regional-pd`), `kubernetes.io/azure-disk`, `disk.csi.azure.com` (unless a `*_ZRS` skuName). File stores (EFS, Filestore, Azure Files, NFS) and other provisioners are not judged.",
            "A claim's class is the one its `storageClassName` (or the legacy `volume.beta.kubernetes.io/storage-class` annotation) names, or, when it names none, the class of the run annotated `storageclass.kubernetes.io/is-default-class: \"true\"`. `storageClassName: \"\"` asks for no class and is not judged.",
            "When the class is not in the scanned files (the cluster's classes rarely live beside the application), nothing is reported: its provisioner and binding mode cannot be told, and a finding on every StatefulSet would say nothing.",
            "The replica count is the effective minimum (an autoscaler's minimum when one targets the StatefulSet); a StatefulSet scaled to 0 is not judged.",
        ],
        examples: [
            .triggers(.kubernetes, "Three replicas on EBS volumes bound immediately (the default mode)", line: 17, column: 9, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: db, image: postgres:16}]
                  volumeClaimTemplates:
                    - metadata: {name: data}
                      spec:
                        accessModes: [ReadWriteOnce]
                        resources: {requests: {storage: 10Gi}}
                        storageClassName: gp2
                ---
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: gp2}
                provisioner: kubernetes.io/aws-ebs
                parameters: {type: gp2}
                """),
            .passes(.kubernetes, "Volumes made where the scheduler puts the pods", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: db, image: postgres:16}]
                  volumeClaimTemplates:
                    - metadata: {name: data}
                      spec:
                        accessModes: [ReadWriteOnce]
                        resources: {requests: {storage: 10Gi}}
                        storageClassName: gp3
                ---
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: gp3}
                provisioner: ebs.csi.aws.com
                volumeBindingMode: WaitForFirstConsumer
                """),
            .triggers(.kubernetes, "One replica on the default class, a zonal persistent disk", line: 12, column: 7, """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: cache}
                spec:
                  serviceName: cache
                  selector: {matchLabels: {app: cache}}
                  template:
                    metadata: {labels: {app: cache}}
                    spec:
                      containers: [{name: redis, image: redis:7}]
                  volumeClaimTemplates:
                    - metadata: {name: data}
                      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
                ---
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata:
                  name: standard-rwo
                  annotations: {storageclass.kubernetes.io/is-default-class: "true"}
                provisioner: pd.csi.storage.gke.io
                volumeBindingMode: WaitForFirstConsumer
                """),
            .passes(.kubernetes, "One replica on a regional persistent disk", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: cache}
                spec:
                  serviceName: cache
                  selector: {matchLabels: {app: cache}}
                  template:
                    metadata: {labels: {app: cache}}
                    spec:
                      containers: [{name: redis, image: redis:7}]
                  volumeClaimTemplates:
                    - metadata: {name: data}
                      spec:
                        accessModes: [ReadWriteOnce]
                        resources: {requests: {storage: 1Gi}}
                        storageClassName: regional
                ---
                apiVersion: storage.k8s.io/v1
                kind: StorageClass
                metadata: {name: regional}
                provisioner: pd.csi.storage.gke.io
                volumeBindingMode: WaitForFirstConsumer
                parameters: {replication-type: regional-pd}
                """),
            .notApplicable(.kubernetes, "The class is not in the scanned files", """
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: db}
                spec:
                  replicas: 3
                  serviceName: db
                  selector: {matchLabels: {app: db}}
                  template:
                    metadata: {labels: {app: db}}
                    spec:
                      containers: [{name: db, image: postgres:16}]
                  volumeClaimTemplates:
                    - metadata: {name: data}
                      spec:
                        accessModes: [ReadWriteOnce]
                        resources: {requests: {storage: 10Gi}}
                        storageClassName: gp2
                """),
        ])

    public func evaluate(_ component: Component, in context: RuleContext) -> [Violation]? {
        guard component.workloadShape == .service, let facet = component.statefulSet, let instances = component.instances,
              facet.volumeClaims.contains(where: { $0.storageClass != nil }) else { return nil }
        let minimum = instances.minimum
        var violations: [Violation] = []
        for (claim, storageClass) in facet.zonalClaims {
            let at = claim.storageClassName?.location ?? claim.location
            let mode = storageClass.volumeBindingMode
            let related = [RelatedLocation("StorageClass \(storageClass.name)", at: mode.location)]
            let volumes = "its \(claim.name) volumes come from StorageClass \(storageClass.name) (\(storageClass.provisioner), one zone a volume)"
            guard let count = minimum.value else {
                violations.append(Violation("\(component.title): \(volumes), and its replica count is unknown (\(minimum.explained())): with one replica its data is pinned to one zone.",
                                            at: at, related: related, isUncertain: true, key: claim.name))
                continue
            }
            if count == 1 {
                violations.append(Violation(
                    "\(component.title) runs 1 replica (\(minimum.explained())) and \(volumes): its data, and so its pod, is pinned to one zone, and losing that zone takes it down until the zone returns.",
                    at: at, related: related, key: claim.name))
            } else if count > 1, storageClass.bindsImmediately == true {
                violations.append(Violation(
                    "\(component.title) runs \(count) replicas and \(volumes), whose \(mode.explained()): each volume is made in a zone before its pod is scheduled, so the pods follow their volumes, not their spread rules, and a pod whose volume is in a lost zone stays Pending.",
                    at: at, related: related, key: claim.name))
            }
        }
        return violations
    }
}

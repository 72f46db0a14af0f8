/// `.Release` as templates see it.
public struct HelmRelease: Sendable, Equatable {
    public var name: String
    public var namespace: String
    public var revision: Int64
    public var isInstall: Bool
    public var isUpgrade: Bool

    public init(name: String = "release-name", namespace: String = "default", revision: Int64 = 1,
                isInstall: Bool = true, isUpgrade: Bool = false) {
        self.name = name
        self.namespace = namespace
        self.revision = revision
        self.isInstall = isInstall
        self.isUpgrade = isUpgrade
    }

    public var templateValue: TemplateValue {
        .map([
            "Name": .string(name), "Namespace": .string(namespace), "Revision": .int(revision, .int),
            "IsInstall": .bool(isInstall), "IsUpgrade": .bool(isUpgrade), "Service": .string("Helm"),
        ])
    }
}

/// `.Capabilities`: the Kubernetes version and the API versions templates may test for.
public struct HelmCapabilities: Sendable, Equatable {
    /// `v1.31.0` (a leading `v` is added when missing).
    public var kubeVersion: String
    public var apiVersions: [String]

    public init(kubeVersion: String, apiVersions: [String] = HelmCapabilities.builtInAPIVersions) {
        self.kubeVersion = kubeVersion.hasPrefix("v") ? kubeVersion : "v" + kubeVersion
        self.apiVersions = apiVersions
    }

    /// What Helm's `DefaultVersionSet` lists: the group/versions client-go's scheme knows, plus
    /// apiextensions, and `group/version/Kind` for the kinds of the stable ones
    /// (`.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget"`).
    public static let builtInAPIVersions = builtInGroupVersions
        + builtInKinds.flatMap { groupVersion, kinds in kinds.map { "\(groupVersion)/\($0)" } }

    static let builtInGroupVersions = [
        "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1", "admissionregistration.k8s.io/v1beta1",
        "apiextensions.k8s.io/v1", "apiextensions.k8s.io/v1beta1", "apps/v1", "apps/v1beta1", "apps/v1beta2",
        "authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1",
        "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2",
        "autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1",
        "certificates.k8s.io/v1alpha1", "certificates.k8s.io/v1beta1", "coordination.k8s.io/v1",
        "coordination.k8s.io/v1alpha2", "coordination.k8s.io/v1beta1", "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1",
        "events.k8s.io/v1", "events.k8s.io/v1beta1", "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1",
        "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2", "flowcontrol.apiserver.k8s.io/v1beta3",
        "networking.k8s.io/v1", "networking.k8s.io/v1alpha1", "networking.k8s.io/v1beta1", "node.k8s.io/v1",
        "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1", "policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1",
        "rbac.authorization.k8s.io/v1alpha1", "rbac.authorization.k8s.io/v1beta1", "resource.k8s.io/v1",
        "resource.k8s.io/v1alpha3", "resource.k8s.io/v1beta1", "resource.k8s.io/v1beta2", "scheduling.k8s.io/v1",
        "scheduling.k8s.io/v1alpha1", "scheduling.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1alpha1",
        "storage.k8s.io/v1beta1", "storagemigration.k8s.io/v1alpha1",
    ]

    /// The kinds of the stable group/versions, as client-go's scheme registers them.
    static let builtInKinds: KeyValuePairs<String, [String]> = [
        "v1": ["Binding", "ComponentStatus", "ConfigMap", "Endpoints", "Event", "LimitRange", "Namespace", "Node",
               "PersistentVolume", "PersistentVolumeClaim", "Pod", "PodTemplate", "ReplicationController",
               "ResourceQuota", "Secret", "Service", "ServiceAccount"],
        "admissionregistration.k8s.io/v1": ["MutatingWebhookConfiguration", "ValidatingAdmissionPolicy",
                                            "ValidatingAdmissionPolicyBinding", "ValidatingWebhookConfiguration"],
        "apiextensions.k8s.io/v1": ["CustomResourceDefinition"],
        "apps/v1": ["ControllerRevision", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet"],
        "autoscaling/v1": ["HorizontalPodAutoscaler", "Scale"],
        "autoscaling/v2": ["HorizontalPodAutoscaler"],
        "batch/v1": ["CronJob", "Job"],
        "certificates.k8s.io/v1": ["CertificateSigningRequest"],
        "coordination.k8s.io/v1": ["Lease"],
        "discovery.k8s.io/v1": ["EndpointSlice"],
        "events.k8s.io/v1": ["Event"],
        "flowcontrol.apiserver.k8s.io/v1": ["FlowSchema", "PriorityLevelConfiguration"],
        "networking.k8s.io/v1": ["Ingress", "IngressClass", "NetworkPolicy"],
        "node.k8s.io/v1": ["RuntimeClass"],
        "policy/v1": ["Eviction", "PodDisruptionBudget"],
        "rbac.authorization.k8s.io/v1": ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"],
        "scheduling.k8s.io/v1": ["PriorityClass"],
        "storage.k8s.io/v1": ["CSIDriver", "CSINode", "CSIStorageCapacity", "StorageClass", "VolumeAttachment"],
    ]

    /// `Major`/`Minor` as Helm derives them from the version (`v1.20.0` -> `1`, `20`).
    public var templateValue: TemplateValue {
        let parts = kubeVersion.dropFirst().split(separator: ".").map(String.init)
        let kube: TemplateValue = .map([
            "Version": .string(kubeVersion), "GitVersion": .string(kubeVersion),
            "Major": .string(parts.first ?? ""), "Minor": .string(parts.count > 1 ? parts[1] : ""),
        ])
        return .map([
            "KubeVersion": kube, "APIVersions": .list(apiVersions.map { .string($0) }, type: .strings),
            "HelmVersion": .map(["Version": .string("v4")]),
        ])
    }
}

/// Helm's `ToRenderValues`: the top-level object every template starts from.
public enum RenderValues {
    /// `{Chart, Capabilities, Release, Values}`, `values` being the coalesced values
    /// (`ReleaseValues.coalesce`). The engine adds `.Files`, `.Template` and `.Subcharts` per chart.
    public static func top(chart: HelmChart, values: [String: TemplateValue], release: HelmRelease,
                           capabilities: HelmCapabilities) -> TemplateValue {
        .map([
            "Chart": chart.metadata.templateValue, "Capabilities": capabilities.templateValue,
            "Release": release.templateValue, "Values": .map(values),
        ])
    }
}

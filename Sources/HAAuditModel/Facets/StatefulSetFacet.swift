/// What a StatefulSet asks of the cluster besides its pods: a persistent volume per pod from
/// each claim template, and a governing Service that gives each pod a stable DNS name.
public struct StatefulSetFacet: Sendable {
    /// One of `spec.volumeClaimTemplates`.
    public struct VolumeClaim: Sendable {
        public var name: String
        /// `spec.storageClassName` (or the legacy `volume.beta.kubernetes.io/storage-class`
        /// annotation): nil when absent, so that the cluster's default class applies; `""` asks
        /// for no class (a volume provisioned by hand).
        public var storageClassName: Fact<String>?
        public var location: SourceLocation
        /// Set while linking: the StorageClass of the run the claim gets its volumes from (the one
        /// it names, or the run's default class when it names none); nil when it is not in the run.
        public var storageClass: StorageClass?

        package init(name: String, storageClassName: Fact<String>?, location: SourceLocation) {
            self.name = name
            self.storageClassName = storageClassName
            self.location = location
        }
    }

    /// What linking found of the Service `spec.serviceName` names.
    public enum GoverningService: Sendable {
        /// A headless Service (clusterIP: None) of the StatefulSet's namespace, where it is.
        case headless(SourceLocation)
        /// A Service of that name that is not headless: its title, and its headless fact.
        case notHeadless(title: String, headless: Fact<Bool>)
        /// No Service of that name in the namespace, among the run's files.
        case missing
    }

    /// `spec.serviceName`: nil when absent.
    public var serviceName: Fact<String>?
    public var volumeClaims: [VolumeClaim]
    /// Set while linking, when `serviceName` is written.
    public var governingService: GoverningService?

    package init(serviceName: Fact<String>?, volumeClaims: [VolumeClaim]) {
        self.serviceName = serviceName
        self.volumeClaims = volumeClaims
    }

    /// The claims whose volumes live in one zone, each with its class (linked).
    public var zonalClaims: [(claim: VolumeClaim, storageClass: StorageClass)] {
        volumeClaims.compactMap { claim in
            guard let storageClass = claim.storageClass, storageClass.isZonal else { return nil }
            return (claim, storageClass)
        }
    }
}

/// A Kubernetes StorageClass of the run: which provisioner makes its volumes, and when.
public struct StorageClass: Sendable {
    public var name: String
    public var provisioner: String
    /// `volumeBindingMode`: Immediate (the default) or WaitForFirstConsumer.
    public var volumeBindingMode: Fact<String>
    /// The zones `allowedTopologies` restricts its volumes to; nil when it does not.
    public var allowedZones: [String]?
    /// Annotated `storageclass.kubernetes.io/is-default-class: "true"`: claims that name no
    /// class get it.
    public var isDefault: Bool
    /// The provisioner's `parameters` that decide whether a volume is zonal (a GCE PD's
    /// `replication-type`, an Azure Disk's `skuName`); others are not kept.
    public var replication: String?
    public var location: SourceLocation

    package init(name: String, provisioner: String, volumeBindingMode: Fact<String>, allowedZones: [String]?,
                 isDefault: Bool, replication: String?, location: SourceLocation) {
        self.name = name
        self.provisioner = provisioner
        self.volumeBindingMode = volumeBindingMode
        self.allowedZones = allowedZones
        self.isDefault = isDefault
        self.replication = replication
        self.location = location
    }

    /// Provisioners of block volumes that live in one zone: a pod can use such a volume only on
    /// a node of that zone. File stores (EFS, Filestore, Azure Files, NFS) are regional or
    /// reached over the network from any zone, and are not listed.
    public static let zonalProvisioners: Set<String> = [
        "kubernetes.io/aws-ebs", "ebs.csi.aws.com",
        "kubernetes.io/gce-pd", "pd.csi.storage.gke.io",
        "kubernetes.io/azure-disk", "disk.csi.azure.com",
    ]

    /// Whether its volumes live in one zone: a zonal provisioner, unless its parameters ask for
    /// a replicated disk (a regional GCE PD, an Azure zone-redundant `*_ZRS` SKU).
    public var isZonal: Bool {
        guard Self.zonalProvisioners.contains(provisioner) else { return false }
        guard let replication else { return true }
        return !(replication == "regional-pd" || replication.hasSuffix("_ZRS"))
    }

    /// Whether volumes are bound (and provisioned) as soon as a claim is made, before the pod
    /// that uses it is scheduled.
    public var bindsImmediately: Bool? {
        volumeBindingMode.value.map { $0 == "Immediate" }
    }
}

extension StatefulSetFacet: TopologyDescribable {
    package var topologyDescription: JSONValue {
        var items: [(String, JSONValue)] = []
        if let serviceName { items.append(("serviceName", serviceName.topologyDescription)) }
        switch governingService {
        case .headless?: items.append(("governingService", .string("headless")))
        case .notHeadless?: items.append(("governingService", .string("not headless")))
        case .missing?: items.append(("governingService", .string("missing")))
        case nil: break
        }
        items.append(("volumeClaims", .array(volumeClaims.map { claim in
            var fields: [(String, JSONValue)] = [("name", .string(claim.name))]
            if let name = claim.storageClassName { fields.append(("storageClassName", name.topologyDescription)) }
            if let storageClass = claim.storageClass { fields.append(("storageClass", storageClass.topologyDescription)) }
            return .object(fields)
        })))
        return .object(items)
    }
}

extension StorageClass: TopologyDescribable {
    package var topologyDescription: JSONValue {
        .object([("name", .string(name)), ("provisioner", .string(provisioner)), ("zonal", .bool(isZonal)),
                 ("volumeBindingMode", volumeBindingMode.topologyDescription), ("default", .bool(isDefault)),
                 ("allowedZones", allowedZones.map { .array($0.map(JSONValue.string)) } ?? .null)])
    }
}

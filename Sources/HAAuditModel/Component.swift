/// Something that can fail, or that controls how something else fails (DESIGN section 2).
///
/// A reference type, so that rules and relationships share one copy. Only the package's frontends
/// build and change it (its initializer and setters are `package`), while they lower and link;
/// after linking it is only read, which is what makes it safe to share between the threads that
/// run the rules: hence `@unchecked Sendable`, over state that library users can only read.
/// Most facets apply to few kinds of component, so each is boxed: a component costs a few
/// hundred bytes whatever it is.
public final class Component: @unchecked Sendable, Identifiable {
    public enum Role: Sendable, Equatable {
        case workload(WorkloadShape)
        case datastore
        case traffic
        case control
        /// Subnets and other network plumbing that other components run in.
        case network
    }

    /// How a workload's instances are meant to run, which decides the rules that apply.
    public enum WorkloadShape: String, Sendable {
        /// Long-running and replicated by a controller (Deployment, StatefulSet, ASG, ...).
        case service
        /// One instance per node (DaemonSet, Service Fabric InstanceCount -1).
        case perNode
        /// Runs to completion (Job, CronJob).
        case batch
        /// A lone instance that nothing recreates (a bare Pod, an EC2 instance).
        case standalone
    }

    /// Stable identity, e.g. `k8s:shop/Deployment/web`.
    public package(set) var id: String
    /// `metadata.name`, logical ID, SF service name or CS role name.
    public let name: String
    /// The platform's kind: `Deployment`, `AWS::AutoScaling::AutoScalingGroup`, ...
    public let kind: String
    public let platform: Platform
    public let namespace: String?
    /// True when the manifest does not name the namespace: it is decided when the manifest is
    /// applied (`kubectl apply -n`, kustomize), and `namespace` holds the default.
    public package(set) var namespaceIsImplicit = false
    public let role: Role
    /// The object itself: where findings about absent values anchor.
    public let location: SourceLocation
    /// The rendered kustomization root it came from (`app/overlays/prod`); nil for plain files.
    public package(set) var variant: String?
    /// The Helm release that rendered it (`prod of deploy/shop`); nil for anything not rendered
    /// from a chart. Reports name it, as they name a profile.
    public package(set) var release: String?
    /// The profile (parameter set) this component was lowered under, for SF and CS.
    public package(set) var profile: String?

    @Boxed public package(set) var instances: Instances?
    @Boxed public package(set) var placement: Placement?
    @Boxed public package(set) var recovery: Fact<Recovery>?
    /// What the platform still does for a lone instance that nothing replaces, and what it does
    /// not ("EC2 restarts it in place after a host failure, not after ..."); nil when nothing.
    public package(set) var inPlaceRecovery: String?
    /// Like instances in other zones or subnets, when this one is a member of a redundant group
    /// built by hand.
    public package(set) var redundantPeers: [RedundantPeer] = []
    public package(set) var containers: [Container] = []
    /// Labels of the pods (or instances) this workload creates, which selectors match.
    public package(set) var podLabels: [String: String]?
    @Boxed public package(set) var service: ServiceFacet?
    @Boxed public package(set) var ingress: IngressFacet?
    @Boxed public package(set) var autoscaler: AutoscalerFacet?
    @Boxed public package(set) var disruptionBudget: DisruptionBudgetFacet?
    @Boxed public package(set) var rollout: Rollout?
    /// What must hold for a data store to survive losing a node: a standby, enough replicas.
    public package(set) var standbyRequirements: [Requirement] = []
    /// What must hold for a data store to keep automated backups.
    public package(set) var backupRequirements: [Requirement] = []
    /// A backup taken from outside the data store's own settings (an AWS Backup selection that
    /// selects it), which meets its backup requirements whatever they say.
    @Boxed public package(set) var backedUpBy: Fact<String>?
    /// The health checks that decide when instances are replaced (an Auto Scaling group's
    /// HealthCheckType: EC2, ELB, ...).
    @Boxed public package(set) var replacementHealthChecks: Fact<[String]>?
    @Boxed public package(set) var loadBalancer: LoadBalancerFacet?
    @Boxed public package(set) var targetHealthCheck: TargetHealthCheckFacet?
    @Boxed public package(set) var alarm: AlarmFacet?
    @Boxed public package(set) var natGateway: NatGatewayFacet?
    @Boxed public package(set) var failover: FailoverFacet?
    /// Why there is nothing long-lived in it to watch or health-check, and where that is
    /// written: an EC2 instance whose user data terminates it once its work is done, a target
    /// group that nothing can register targets in. Alarm and health-check rules leave it alone.
    @Boxed public package(set) var nothingToWatch: Fact<String>?
    /// Another resource that may configure its backups after it is created (a custom resource
    /// handed the data store and a snapshot or retention setting), which haaudit cannot read.
    @Boxed public package(set) var backupMayBeSetBy: Fact<String>?
    /// Whether operators expect a CloudWatch alarm on it (AWS compute and data components).
    public package(set) var expectsAlarm = false
    /// Alarms that would watch it but are created only under a condition that does not hold
    /// with the parameters' defaults: the condition, by alarm name.
    public package(set) var alarmsBehindConditions: [String: String] = [:]
    /// The zone a subnet (or another zonal network object) is in.
    @Boxed public package(set) var zone: Fact<String>?
    /// Whether a disruption budget is the way to protect this workload from voluntary evictions
    /// (Kubernetes Deployments and StatefulSets).
    public package(set) var supportsDisruptionBudget = false
    /// Rules the manifest's author silenced on this object, by rule name, with the reason given.
    public package(set) var suppressions: [String: Suppression] = [:]
    /// What keeps it, a stateful resource a stack manages, and its data from being destroyed by
    /// a stack update or delete; nil for anything else.
    @Boxed public package(set) var deletionSafeguards: DeletionSafeguards?
    /// The most invocations it may run at once, where that is capped (a Lambda function's
    /// ReservedConcurrentExecutions): 0 throttles every one.
    @Boxed public package(set) var concurrencyLimit: Fact<Int>?
    /// Where messages or events it is handed go when handling them fails.
    @Boxed public package(set) var failedMessages: FailedMessages?
    /// How many dedicated master nodes elect the cluster's leader, where it has them (an
    /// OpenSearch domain with DedicatedMasterEnabled).
    @Boxed public package(set) var dedicatedMasters: Fact<Int>?
    /// A StatefulSet's volume claim templates and governing Service.
    @Boxed public package(set) var statefulSet: StatefulSetFacet?
    /// A Kubernetes StorageClass: the volumes StatefulSets' claims get from it.
    @Boxed public package(set) var storageClass: StorageClass?
    /// How long an Auto Scaling group lets a new instance fail its health checks before it
    /// replaces it (HealthCheckGracePeriod, seconds).
    @Boxed public package(set) var healthCheckGracePeriod: Fact<Int>?
    /// How long a load balancer (or target group) lets in-flight requests finish on a target it
    /// stops routing to, in seconds; 0 when it cuts them (deregistration delay, connection draining).
    @Boxed public package(set) var connectionDraining: Fact<Int>?
    /// What changes its instance count with load or on a schedule, when it is not a component of
    /// its own (a Kubernetes autoscaler is, related by `scales`): a scalable target or an Auto
    /// Scaling group, with the policies and scheduled actions that act on it.
    @Boxed public package(set) var scaling: ScalingFacet?
    /// Whether each instance holds state of its own (a StatefulSet, a data store run from a
    /// Deployment): adding one copies data, not the free, stateless step that autoscaling takes.
    public package(set) var holdsState = false
    /// Where it is in the topology it was added to, so that its relationships are found
    /// without hashing its id; -1 until it is added.
    var topologyIndex = -1

    /// Whether it has a disruption budget, Ingress or autoscaler facet, each of which names other
    /// objects; asked of every component while linking, so it copies no facet.
    package var namesOtherObjects: Bool { _disruptionBudget.isPresent || _ingress.isPresent || _autoscaler.isPresent }

    /// Whether it has a Service facet, without copying it out.
    package var isService: Bool { _service.isPresent }

    package init(id: String, name: String, kind: String, platform: Platform, namespace: String?,
                 role: Role, location: SourceLocation) {
        self.id = id
        self.name = name
        self.kind = kind
        self.platform = platform
        self.namespace = namespace
        self.role = role
        self.location = location
    }

    /// "Deployment shop/web": how messages name a component.
    public var title: String { Self.title(kind: kind, namespace: namespace, name: name) }

    /// The title and, for a Service Fabric or Cloud Services component (one exists per
    /// profile), the profile: "StatelessService Cart [profile Cloud]".
    public var profiledTitle: String { title + Self.profileSuffix(profile) }

    package static func title(kind: String, namespace: String?, name: String) -> String {
        namespace.map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)"
    }

    package static func profileSuffix(_ profile: String?) -> String {
        profile.map { " [profile \($0)]" } ?? ""
    }

    /// What a finding's message ends with to say which variant of the input it is about: the
    /// Service Fabric or Cloud Services profile, or the Helm release.
    package var variantSuffix: String {
        Self.profileSuffix(profile) + (release.map { " [release \($0)]" } ?? "")
    }

    public var workloadShape: WorkloadShape? {
        if case .workload(let shape) = role { return shape }
        return nil
    }
}

/// An optional value stored out of line: eight bytes in the enclosing struct while it is nil,
/// and shared (never mutated in place) when it is not.
@propertyWrapper
public struct Boxed<Value: Sendable>: Sendable {
    private final class Storage: Sendable {
        let value: Value

        init(_ value: Value) {
            self.value = value
        }
    }

    private var storage: Storage?

    public init(wrappedValue: Value?) {
        storage = wrappedValue.map(Storage.init)
    }

    public var wrappedValue: Value? {
        get { storage?.value }
        set { storage = newValue.map(Storage.init) }
    }

    /// Whether there is a value, without copying it out (facets are large).
    var isPresent: Bool { storage != nil }
}

public struct Suppression: Sendable, Hashable {
    public var reason: String?
    public var location: SourceLocation
    /// Set for ignores from the configuration file rather than from the manifest itself.
    public var isExternal = false

    package init(reason: String? = nil, location: SourceLocation, isExternal: Bool = false) {
        self.reason = reason
        self.location = location
        self.isExternal = isExternal
    }
}

extension Suppression: TopologyDescribable {
    package var topologyDescription: JSONValue { .optional(reason) }
}

extension Component {
    /// Its facets, each under the name the topology report gives it and in the report's order,
    /// leaving out those it lacks: a new facet is listed here and describes itself.
    package var describedFacets: [(name: String, facet: any TopologyDescribable)] {
        var facets: [(name: String, facet: any TopologyDescribable)] = []
        func add(_ name: String, _ facet: (any TopologyDescribable)?) {
            if let facet { facets.append((name, facet)) }
        }
        add("instances", instances)
        add("placement", placement)
        add("recovery", recovery)
        add("podLabels", podLabels)
        add("containers", containers.isEmpty ? nil : containers)
        add("service", service)
        add("backends", ingress)
        add("autoscaler", autoscaler)
        add("disruptionBudget", disruptionBudget)
        add("zone", zone)
        add("standbyRequirements", standbyRequirements.isEmpty ? nil : standbyRequirements)
        add("backupRequirements", backupRequirements.isEmpty ? nil : backupRequirements)
        add("backedUpBy", backedUpBy)
        add("backupMayBeSetBy", backupMayBeSetBy)
        add("replacementHealthChecks", replacementHealthChecks)
        add("rollout", rollout)
        add("loadBalancer", loadBalancer)
        add("targetHealthCheck", targetHealthCheck)
        add("alarm", alarm)
        add("natGateway", natGateway)
        add("failover", failover)
        add("expectsAlarm", expectsAlarm ? true : nil)
        add("nothingToWatch", nothingToWatch)
        add("alarmsBehindConditions", alarmsBehindConditions.isEmpty ? nil : alarmsBehindConditions)
        add("deletionSafeguards", deletionSafeguards)
        add("concurrencyLimit", concurrencyLimit)
        add("failedMessages", failedMessages)
        add("dedicatedMasters", dedicatedMasters)
        add("suppressions", suppressions.isEmpty ? nil : suppressions)
        add("statefulSet", statefulSet)
        add("storageClass", storageClass)
        add("healthCheckGracePeriod", healthCheckGracePeriod)
        add("connectionDraining", connectionDraining)
        add("scaling", scaling)
        return facets
    }
}

/// Every rule haaudit knows, in catalog order (by code).
public enum RuleCatalog {
    public static let all: [any Rule] = [
        UnjustifiedSuppression(),
        SingleReplica(),
        SingleZone(),
        NoZoneSpread(),
        NoNodeSpread(),
        MissingReadinessProbe(),
        MissingLivenessProbe(),
        IdenticalProbes(),
        AggressiveLivenessProbe(),
        UndefinedNamedPort(),
        UnmanagedInstance(),
        NoDisruptionBudget(),
        DisruptionBudgetBlocksEviction(),
        UnsafeRollout(),
        StuckRollout(),
        NoDeploymentCircuitBreaker(),
        AbruptDeregistration(),
        DanglingService(),
        DanglingIngress(),
        DanglingAutoscaler(),
        DanglingDisruptionBudget(),
        SingleInstanceDatastore(),
        NoBackup(),
        LBHealthCheckIgnored(),
        FailoverWithoutHealthCheck(),
        SingleNatGateway(),
        CrossZoneDisabled(),
        DefaultLBHealthCheck(),
        NoAlarm(),
        AlarmWithoutAction(),
        NoDeletionProtection(),
        DisabledFunction(),
        NoDeadLetterQueue(),
        SplitBrainQuorum(),
        ImmediateVolumeBinding(),
        DanglingStatefulSetService(),
        AutoscalerWithoutHeadroom(),
        NoAutoscaling(),
        MissingResourceRequests(),
        MissingStartupProbe(),
        NoGracefulShutdown(),
        MutableImageTag(),
        NoRollbackHistory(),
    ].sorted { $0.description.code < $1.description.code }

    /// Looks a rule up by its name (`single-replica`) or code (`HA101`).
    public static func rule(named name: String) -> (any Rule)? {
        all.first { $0.description.name == name || $0.description.code == name.uppercased() }
    }
}

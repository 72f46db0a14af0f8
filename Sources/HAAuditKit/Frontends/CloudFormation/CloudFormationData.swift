/// Data stores: RDS, Aurora, DocumentDB and Neptune clusters, ElastiCache, DynamoDB,
/// OpenSearch, EFS. Each says what it needs for a standby and for automated backups.
extension CloudFormationLowering {
    static let clusterMemberTypes: [String: String] = [
        "AWS::RDS::DBCluster": "AWS::RDS::DBInstance",
        "AWS::DocDB::DBCluster": "AWS::DocDB::DBInstance",
        "AWS::Neptune::DBCluster": "AWS::Neptune::DBInstance",
    ]

    mutating func rdsInstance(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .datastore)
        component.expectsAlarm = true
        let engine = property(resource, "Engine")?.value.value.text?.lowercased() ?? ""
        let isClusterMember = engine.hasPrefix("aurora") || property(resource, "DBClusterIdentifier") != nil
        let isReadReplica = property(resource, "SourceDBInstanceIdentifier") != nil
        // Aurora members are judged through their cluster; read replicas are standbys themselves.
        guard !isClusterMember, !isReadReplica else { return component }
        component.standbyRequirements = [.isTrue(boolFact(resource, "MultiAZ", default: false)!)]
        component.backupRequirements = [.atLeast(intFact(resource, "BackupRetentionPeriod", default: 1)!, 1)]
        return component
    }

    /// Aurora, DocumentDB and Neptune clusters fail over to another instance of the cluster, so
    /// they need two; linking counts them. Multi-AZ DB clusters and Aurora Serverless v1 carry
    /// their standbys themselves.
    mutating func databaseCluster(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .datastore)
        component.expectsAlarm = resource.type == "AWS::RDS::DBCluster"
        component.backupRequirements = [.atLeast(intFact(resource, "BackupRetentionPeriod", default: 1)!, 1)]
        return component
    }

    /// Whether a cluster's failover depends on its member instances (counted when linking).
    func clusterNeedsMembers(_ resource: Template.Resource) -> Bool {
        guard resource.type == "AWS::RDS::DBCluster" else { return true }
        let engine = property(resource, "Engine")?.value.value.text?.lowercased() ?? ""
        let mode = property(resource, "EngineMode")?.value.value.text?.lowercased()
        return engine.hasPrefix("aurora") && mode != "serverless" && property(resource, "DBClusterInstanceClass") == nil
    }

    mutating func cacheReplicationGroup(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .datastore)
        component.expectsAlarm = true
        if property(resource, "NumNodeGroups") != nil || property(resource, "ReplicasPerNodeGroup") != nil {
            component.standbyRequirements = [.atLeast(intFact(resource, "ReplicasPerNodeGroup", default: 0)!, 1)]
        } else {
            component.standbyRequirements = [
                .isTrue(boolFact(resource, "AutomaticFailoverEnabled", default: false)!),
                .atLeast(intFact(resource, "NumCacheClusters", default: 1)!, 2),
            ]
        }
        if isRedis(resource, default: "redis") {
            component.backupRequirements = [.atLeast(intFact(resource, "SnapshotRetentionLimit", default: 0)!, 1)]
        }
        if let zones = zones(resource, "PreferredCacheClusterAZs", ofSubnets: false) {
            component.placement = Placement(confinedZones: zones)
        }
        return component
    }

    mutating func cacheCluster(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .datastore)
        component.expectsAlarm = true
        let nodes = intFact(resource, "NumCacheNodes", default: 1)!
        component.standbyRequirements = [.atLeast(nodes, 2)]
        if isRedis(resource, default: nil) {
            component.backupRequirements = [.atLeast(intFact(resource, "SnapshotRetentionLimit", default: 0)!, 1)]
        } else if let mode = stringFact(resource, "AZMode", default: "single-az"), mode.value == "single-az", (nodes.value ?? 0) >= 2 {
            // "If AZMode and PreferredAvailabilityZones are not specified, ElastiCache assumes single-az mode."
            let zone = property(resource, "PreferredAvailabilityZone")?.value.value.text ?? "one zone"
            component.placement = Placement(confinedZones: mode.map { _ in [zone] })
        }
        return component
    }

    private func isRedis(_ resource: Template.Resource, default defaultEngine: String?) -> Bool {
        let engine = property(resource, "Engine")?.value.value.text?.lowercased() ?? defaultEngine
        return engine == "redis" || engine == "valkey"
    }

    mutating func dynamoTable(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .datastore)
        component.backupRequirements = [
            .isTrue(boolFact(resource, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled", default: false)!),
        ]
        return component
    }

    mutating func searchDomain(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .datastore)
        let config = resource.type == "AWS::Elasticsearch::Domain" ? "ElasticsearchClusterConfig" : "ClusterConfig"
        component.standbyRequirements = [
            .atLeast(intFact(resource, config, "InstanceCount", default: 1)!, 3),
            .isTrue(boolFact(resource, config, "ZoneAwarenessEnabled", default: false)!),
        ]
        return component
    }

    mutating func fileSystem(_ resource: Template.Resource) -> Component {
        let component = component(resource, role: .datastore)
        if let zone = stringFact(resource, "AvailabilityZoneName", default: nil) {
            // One Zone storage: the file system lives in that zone only.
            component.placement = Placement(confinedZones: zone.map { [$0] })
        }
        component.backupRequirements = [.equals(stringFact(resource, "BackupPolicy", "Status", default: "DISABLED")!, "ENABLED")]
        return component
    }
}

import HAAuditModel

/// What AWS data stores need to survive losing a node and to keep automated backups: RDS,
/// Aurora, DocumentDB and Neptune clusters, ElastiCache, DynamoDB, OpenSearch, EFS, Amazon MQ,
/// Redshift and MSK. The
/// defaults are AWS's (where a property is absent, the fact says so).
enum AWSDataStores {
    /// A cluster's type and the type of its member instances.
    static let clusterMemberTypes: [String: String] = [
        "AWS::RDS::DBCluster": "AWS::RDS::DBInstance",
        "AWS::DocDB::DBCluster": "AWS::DocDB::DBInstance",
        "AWS::Neptune::DBCluster": "AWS::Neptune::DBInstance",
    ]

    static func rdsInstance(_ properties: some AWSResourceProperties, _ component: Component) {
        component.expectsAlarm = true
        let engine = properties.text("Engine")?.lowercased() ?? ""
        let isClusterMember = engine.hasPrefix("aurora") || properties.isSet("DBClusterIdentifier")
        let isReadReplica = properties.isSet("SourceDBInstanceIdentifier")
        // Aurora members are judged through their cluster; read replicas are standbys themselves.
        guard !isClusterMember, !isReadReplica else { return }
        var protection = properties.bool("DeletionProtection", default: false)!
        // An Aurora instance holds no data of its own (its cluster does): with an engine that
        // does not resolve, whether its deletion loses data is unknown.
        if protection.value != true, let engine = properties.property(["Engine"]), engine.value.text == nil {
            protection = .unknown(at: engine.key, source: "Engine",
                                  reason: "whether it is an Aurora instance, whose data its cluster holds, is unknown: \(engine.value.unknownReason ?? "it is not text")")
        }
        component.deletionSafeguards = DeletionSafeguards(protection: protection)
        component.standbyRequirements = [.isTrue(properties.bool("MultiAZ", default: false)!)]
        component.backupRequirements = [.atLeast(properties.int("BackupRetentionPeriod", default: 1)!, 1)]
    }

    /// Aurora, DocumentDB and Neptune clusters fail over to another instance of the cluster, so
    /// they need two; linking counts them. Multi-AZ DB clusters and Aurora Serverless v1 carry
    /// their standbys themselves.
    static func databaseCluster(_ properties: some AWSResourceProperties, _ component: Component) {
        component.expectsAlarm = properties.type == "AWS::RDS::DBCluster"
        // RDS, DocumentDB and Neptune clusters alike: "DeletionProtection ... default false".
        component.deletionSafeguards = DeletionSafeguards(protection: properties.bool("DeletionProtection", default: false))
        component.backupRequirements = [.atLeast(properties.int("BackupRetentionPeriod", default: 1)!, 1)]
    }

    /// Whether a cluster's failover depends on its member instances (counted when linking).
    static func clusterNeedsMembers(_ properties: some AWSResourceProperties) -> Bool {
        guard properties.type == "AWS::RDS::DBCluster" else { return true }
        let engine = properties.text("Engine")?.lowercased() ?? ""
        let mode = properties.text("EngineMode")?.lowercased()
        return engine.hasPrefix("aurora") && mode != "serverless" && !properties.isSet("DBClusterInstanceClass")
    }

    static func cacheReplicationGroup(_ properties: some AWSResourceProperties, _ component: Component) {
        component.expectsAlarm = true
        // ElastiCache has no deletion protection.
        component.deletionSafeguards = DeletionSafeguards(protection: nil)
        if properties.isSet("NumNodeGroups") || properties.isSet("ReplicasPerNodeGroup") {
            component.standbyRequirements = [.atLeast(properties.int("ReplicasPerNodeGroup", default: 0)!, 1)]
        } else {
            component.standbyRequirements = [
                .isTrue(properties.bool("AutomaticFailoverEnabled", default: false)!),
                .atLeast(properties.int("NumCacheClusters", default: 1)!, 2),
            ]
        }
        if isRedis(properties, default: "redis") {
            component.backupRequirements = [.atLeast(properties.int("SnapshotRetentionLimit", default: 0)!, 1)]
        }
        if let zones = AWSPlacement.zoneNames(properties, "PreferredCacheClusterAZs") {
            component.placement = Placement(confinedZones: zones)
        }
    }

    static func cacheCluster(_ properties: some AWSResourceProperties, _ component: Component) {
        component.expectsAlarm = true
        component.deletionSafeguards = DeletionSafeguards(protection: nil)
        let nodes = properties.int("NumCacheNodes", default: 1)!
        component.standbyRequirements = [.atLeast(nodes, 2)]
        if isRedis(properties, default: nil) {
            component.backupRequirements = [.atLeast(properties.int("SnapshotRetentionLimit", default: 0)!, 1)]
        } else if let mode = properties.string("AZMode", default: "single-az"), mode.value == "single-az", (nodes.value ?? 0) >= 2 {
            // "If AZMode and PreferredAvailabilityZones are not specified, ElastiCache assumes single-az mode."
            let zone = properties.text("PreferredAvailabilityZone") ?? "one zone"
            component.placement = Placement(confinedZones: mode.map { _ in [zone] })
        }
    }

    /// A serverless cache replicates its data over several zones by design: it needs no standby
    /// of its own, only automatic snapshots ("DailySnapshotTime ... Default is NULL, i.e.
    /// snapshots will not be created"), which every engine of it supports.
    static func serverlessCache(_ properties: some AWSResourceProperties, _ component: Component) {
        component.expectsAlarm = true
        component.backupRequirements = [.atLeast(properties.int("SnapshotRetentionLimit", default: 0)!, 1)]
    }

    private static func isRedis(_ properties: some AWSResourceProperties, default defaultEngine: String?) -> Bool {
        let engine = properties.text("Engine")?.lowercased() ?? defaultEngine
        return engine == "redis" || engine == "valkey"
    }

    static func dynamoTable(_ properties: some AWSResourceProperties, _ component: Component) {
        component.deletionSafeguards = DeletionSafeguards(protection: properties.bool("DeletionProtectionEnabled", default: false))
        component.backupRequirements = [
            .isTrue(properties.bool("PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled", default: false)!),
        ]
    }

    static func searchDomain(_ properties: some AWSResourceProperties, _ component: Component) {
        let config = properties.type == "AWS::Elasticsearch::Domain" ? "ElasticsearchClusterConfig" : "ClusterConfig"
        component.standbyRequirements = [
            .atLeast(properties.int(config, "InstanceCount", default: 1)!, 3),
            .isTrue(properties.bool(config, "ZoneAwarenessEnabled", default: false)!),
        ]
        // OpenSearch has no deletion protection.
        component.deletionSafeguards = DeletionSafeguards(protection: nil)
        // How many masters elect the leader; a count left out is not judged (the service
        // picks one), nor are masters that are off (the data nodes elect among themselves,
        // which their count and zones, judged above, decide).
        let mastersEnabled = properties.bool(config, "DedicatedMasterEnabled", default: false)!
        if mastersEnabled.value == true {
            component.dedicatedMasters = properties.int(config, "DedicatedMasterCount", default: nil)
        } else if let reason = mastersEnabled.reason, properties.isSet(config, "DedicatedMasterCount") {
            component.dedicatedMasters = .unknown(at: mastersEnabled.location, source: "\(config).DedicatedMasterEnabled", reason: reason)
        }
    }

    /// An Amazon MQ broker fails over only in its multi-AZ mode: active/standby for ActiveMQ, a
    /// cluster for RabbitMQ. "DeploymentMode ... Default: SINGLE_INSTANCE".
    static func messageBroker(_ properties: some AWSResourceProperties, _ component: Component) {
        let multiZone = properties.text("EngineType")?.uppercased() == "RABBITMQ" ? "CLUSTER_MULTI_AZ" : "ACTIVE_STANDBY_MULTI_AZ"
        component.standbyRequirements = [.equals(properties.string("DeploymentMode", default: "SINGLE_INSTANCE")!, multiZone)]
    }

    /// A single-node Redshift cluster holds its data on its one node.
    static func warehouse(_ properties: some AWSResourceProperties, _ component: Component) {
        guard let type = properties.string("ClusterType", default: nil) else { return }
        component.standbyRequirements = [.equals(type, "multi-node")]
    }

    /// MSK spreads the brokers evenly over the client subnets, each in a zone of its own, so
    /// two brokers are two zones.
    static func kafkaCluster(_ properties: some AWSResourceProperties, _ component: Component) {
        let brokers = properties.int("NumberOfBrokerNodes", default: nil)
            ?? .unknown(at: properties.location, source: "NumberOfBrokerNodes", reason: "NumberOfBrokerNodes is required but missing")
        component.standbyRequirements = [.atLeast(brokers, 2)]
    }

    static func fileSystem(_ properties: some AWSResourceProperties, _ component: Component) {
        // EFS has no deletion protection.
        component.deletionSafeguards = DeletionSafeguards(protection: nil)
        if let zone = properties.string("AvailabilityZoneName", default: nil) {
            // One Zone storage: the file system lives in that zone only.
            component.placement = Placement(confinedZones: zone.map { [$0] })
        }
        component.backupRequirements = [.equals(properties.string("BackupPolicy", "Status", default: "DISABLED")!, "ENABLED")]
    }
}
